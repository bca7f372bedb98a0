package org.fedgen.core.data.images;

import static org.fedgen.core.data.images.ImageFolderTest.grayPng;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedgen.core.data.IdxFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientFoldersTest {
    @TempDir
    Path dir;

    private void idxClient(String name, int value, boolean withEval) throws IOException {
        Path c = dir.resolve(name);
        IdxFormat.write(c.resolve(ClientFolders.TRAIN_IMAGES), new int[] {1, 2, 2}, new byte[] {(byte) value, 0, 0,
            0});
        IdxFormat.write(c.resolve(ClientFolders.TRAIN_LABELS), new int[] {1}, new byte[] {(byte) value});
        if (withEval) {
            IdxFormat.write(c.resolve(ClientFolders.EVAL_IMAGES), new int[] {2, 2, 2}, new byte[8]);
            IdxFormat.write(c.resolve(ClientFolders.EVAL_LABELS), new int[] {2}, new byte[] {1, 1});
        }
    }

    @Test
    void idxClientsInNumericOrderWithTheirEvalFiles() throws IOException {
        for (int k : new int[] {10, 2, 0, 1}) {
            idxClient("client-" + k, k, k == 2);
        }
        Files.writeString(dir.resolve("split.json"), "{}");
        ClientFolders.Clients c = ClientFolders.read(dir, ImageFormat.grayscale());
        assertEquals(List.of("client-0", "client-1", "client-2", "client-10"), c.names());
        assertArrayEquals(new int[] {0, 1, 2, 10}, c.train().stream().mapToInt(d -> d.label(0)).toArray());
        assertNull(c.eval().get(0));
        assertEquals(2, c.eval().get(2).size());
        assertArrayEquals(new int[] {1, 2, 2}, c.itemShape());
        assertTrue(c.classes().isEmpty());
    }

    @Test
    void imageClientsShareOneSortedLabelMapping() throws IOException {
        grayPng(dir.resolve("b/dog/1.png"), 2, 2, 1);
        grayPng(dir.resolve("a/cat/1.png"), 2, 2, 2);
        grayPng(dir.resolve("a/emu/1.png"), 2, 2, 3);
        grayPng(dir.resolve("b/10/1.png"), 2, 2, 3);
        grayPng(dir.resolve("a/9/1.png"), 2, 2, 3);
        ClientFolders.Clients c = ClientFolders.read(dir, ImageFormat.grayscale());
        assertEquals(List.of("a", "b"), c.names());
        assertEquals(List.of("9", "10", "cat", "dog", "emu"), c.classes());
        assertArrayEquals(new int[] {0, 2, 4}, c.train().get(0).labels());
        assertArrayEquals(new int[] {1, 3}, c.train().get(1).labels());
        assertNull(c.eval().get(1));
    }

    @Test
    void mixedLayoutsAreRefusedNamingTheClient() throws IOException {
        idxClient("client-0", 1, false);
        grayPng(dir.resolve("client-1/c/a.png"), 2, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientFolders.read(dir, ImageFormat.grayscale()));
        assertTrue(e.getMessage().startsWith(dir.resolve("client-1") + " has no train-images-idx3-ubyte"),
                e.getMessage());
    }

    @Test
    void differentShapesAcrossClientsAreNamed() throws IOException {
        grayPng(dir.resolve("client-0/a.png"), 2, 2, 1);
        grayPng(dir.resolve("client-1/a.png"), 3, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientFolders.read(dir, ImageFormat.grayscale()));
        assertEquals(dir.resolve("client-1") + " has items of shape [1, 3, 3] (channels, height, width) but "
                + dir.resolve("client-0") + " has [1, 2, 2]", e.getMessage());
    }

    @Test
    void labelledAndUnlabelledClientsAreRefused() throws IOException {
        grayPng(dir.resolve("client-0/x/a.png"), 2, 2, 1);
        grayPng(dir.resolve("client-1/a.png"), 2, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientFolders.read(dir, ImageFormat.grayscale()));
        assertTrue(e.getMessage().startsWith(dir.resolve("client-1") + " has no class folders"), e.getMessage());
    }

    @Test
    void evalLabelsWithoutTrainLabelsAreRefused() throws IOException {
        idxClient("client-0", 1, true);
        Files.delete(dir.resolve("client-0").resolve(ClientFolders.TRAIN_LABELS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientFolders.read(dir, ImageFormat.grayscale()));
        assertTrue(e.getMessage().startsWith(dir.resolve("client-0") + ": train-labels-idx1-ubyte is missing"),
                e.getMessage());
    }

    @Test
    void folderWithoutClientsIsNamed() throws IOException {
        Files.writeString(dir.resolve("x.png"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientFolders.read(dir, ImageFormat.grayscale()));
        assertEquals(dir + ": no client folders (one subfolder per client expected)", e.getMessage());
    }

    @Test
    void naturalOrderComparesDigitRunsByValue() {
        NaturalOrder o = NaturalOrder.INSTANCE;
        assertTrue(o.compare("client-2", "client-10") < 0);
        assertTrue(o.compare("client-10", "client-9") > 0);
        assertTrue(o.compare("a", "b") < 0);
        assertTrue(o.compare("a1", "a01") != 0);
        assertEquals(0, o.compare("site-3", "site-3"));
        assertTrue(o.compare("x", "x1") < 0);
    }
}
