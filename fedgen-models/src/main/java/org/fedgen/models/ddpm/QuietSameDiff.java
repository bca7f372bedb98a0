package org.fedgen.models.ddpm;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Builds a SameDiff gradient function without its console noise: ND4J 1.0.0-M2.1 prints "Added differentiated op
 * ..." to System.out for every op, unconditionally. While the function is built, System.out is replaced by a filter
 * that drops exactly those lines and passes everything else through, so output of other threads is not lost.
 */
final class QuietSameDiff {
    private static final String NOISE = "Added differentiated op";
    private static final Object LOCK = new Object();

    private QuietSameDiff() {
    }

    /** {@code sd.createGradFunction(lossVariables)} with the per-op lines suppressed. */
    static void createGradFunction(SameDiff sd, String... lossVariables) {
        synchronized (LOCK) {
            PrintStream original = System.out;
            System.setOut(new DroppingPrintStream(original));
            try {
                sd.setLossVariables(lossVariables);
                sd.createGradFunction(lossVariables);
            } finally {
                System.setOut(original);
            }
        }
    }

    /** Forwards everything to the original stream except println of strings that start with the noise marker. */
    private static final class DroppingPrintStream extends PrintStream {
        private final PrintStream target;

        DroppingPrintStream(PrintStream target) {
            super(OutputStream.nullOutputStream(), true, Charset.defaultCharset());
            this.target = target;
        }

        @Override
        public void println(String s) {
            if (s == null || !s.startsWith(NOISE)) {
                target.println(s);
            }
        }

        @Override
        public void println(Object o) {
            println(String.valueOf(o));
        }

        @Override
        public void print(String s) {
            target.print(s);
        }

        @Override
        public void write(int b) {
            target.write(b);
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            target.write(buf, off, len);
        }

        @Override
        public void flush() {
            target.flush();
        }
    }
}
