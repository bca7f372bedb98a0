package org.fedgen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads fields of /proc/self/status (Linux). */
final class ProcStatus {
    private ProcStatus() {
    }

    /** The value in kB of a field such as VmHWM, or −1 if it cannot be read. */
    static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.substring(name.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
