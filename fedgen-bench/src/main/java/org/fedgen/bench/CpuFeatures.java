package org.fedgen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU flags from /proc/cpuinfo, and the ND4J native build this process loaded. */
final class CpuFeatures {
    private CpuFeatures() {
    }

    /** The instruction level of the loaded ND4J binary: generic, avx2 or avx512 (ND4J's binaryLevel 1, 2, 3). */
    static String nd4jBuild() {
        org.nd4j.linalg.factory.Nd4j.getBackend();
        int level = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().binaryLevel();
        return switch (level) {
            case 3 -> "avx512";
            case 2 -> "avx2";
            case 0, 1 -> "generic";
            default -> "level " + level;
        };
    }

    /** Whether the CPU reports AVX-512 Foundation (avx512f); false where /proc/cpuinfo cannot be read. */
    static boolean hasAvx512() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return (" " + line.substring(line.indexOf(':') + 1) + " ").contains(" avx512f ");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
