package io.jwren.engine.worker;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the tail of what user code prints while still passing it on, so a result object can carry the
 * last lines of an invocation's output. Installed as System.out and System.err of a worker JVM that
 * runs one invocation at a time.
 */
final class LogCapture {
    private static final int TAIL_BYTES = 8 * 1024;
    private final byte[] ring = new byte[TAIL_BYTES];
    private long written;

    private LogCapture() {}

    /** Replaces System.out and System.err with streams that feed the tail and then {@code passOn}. */
    static LogCapture install(PrintStream passOn) {
        LogCapture capture = new LogCapture();
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                capture.append(new byte[] {(byte) b}, 0, 1);
                passOn.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                capture.append(b, off, len);
                passOn.write(b, off, len);
            }

            @Override
            public void flush() {
                passOn.flush();
            }
        };
        PrintStream ps = new PrintStream(tee, true, StandardCharsets.UTF_8);
        System.setOut(ps);
        System.setErr(ps);
        return capture;
    }

    private synchronized void append(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) ring[(int) ((written + i) % TAIL_BYTES)] = b[off + i];
        written += len;
    }

    /** Forgets what was printed so far; call at the start of an invocation. */
    synchronized void reset() {
        written = 0;
    }

    /** What was printed since the last reset, at most the last 8 KiB. */
    synchronized String tail() {
        int n = (int) Math.min(written, TAIL_BYTES);
        byte[] out = new byte[n];
        long from = written - n;
        for (int i = 0; i < n; i++) out[i] = ring[(int) ((from + i) % TAIL_BYTES)];
        String s = new String(out, StandardCharsets.UTF_8);
        return written > TAIL_BYTES ? "[...]" + s : s;
    }
}
