package io.jwren;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Draws {@link JobStats#plotTimeline}: one row per call, x in seconds since the map was submitted. Plain
 * Java 2D and ImageIO from the JDK, so the API module takes on no charting dependency.
 */
final class TimelinePlot {
    static final Color OK = new Color(0x1f77b4);
    static final Color FAILED = new Color(0xd62728);
    static final Color WAITING = new Color(0xc4c4c4);
    /** The lower half of a bar, over the share of its run time the call's thread spent on a CPU. */
    static final Color CPU = new Color(0x0b3c61);
    /** A mark just before the bar of a call that belongs to its worker's first invocation. */
    static final Color COLD = new Color(0xff7f0e);
    /** Where rows are under 3 pixels the waits touch and would fill the plot: paler there. */
    static final Color WAITING_DENSE = new Color(0xebebeb);
    private static final Color GRID = new Color(0xe6e6e6);

    private TimelinePlot() {}

    static void write(JobStats stats, Path png, int width, int height) throws IOException {
        if (width < 400 || height < 300) throw new IllegalArgumentException("a timeline needs at least 400 x 300 pixels, was "
                + width + " x " + height);
        // Before the first AWT class loads: no display is needed, or wanted, to draw into an image.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g, stats, width, height);
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(img, "png", png.toFile())) throw new IOException("no PNG writer in this JDK");
    }

    private static void draw(Graphics2D g, JobStats s, int w, int h) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();

        long t0 = Long.MAX_VALUE;
        long tEnd = Long.MIN_VALUE;
        for (CallStats c : s.callStats()) {
            t0 = Math.min(t0, Math.min(c.submitted().toEpochMilli(), c.started().toEpochMilli()));
            tEnd = Math.max(tEnd, c.finished().toEpochMilli());
        }
        if (t0 == Long.MAX_VALUE) {
            t0 = 0;
            tEnd = 1;
        }
        double span = Math.max(0.001, (tEnd - t0) / 1000.0);
        double xStep = niceStep(span, 10);
        double xMax = Math.ceil(span / xStep - 1e-9) * xStep;
        int rows = Math.max(1, s.calls());
        long workers = s.callStats().stream().map(CallStats::workerId).distinct().count();

        int left = 20 + fm.stringWidth(Integer.toString(rows)) + 40;
        int right = w - 24;
        int top = 70;
        int bottom = h - 60;
        int plotW = right - left;
        int plotH = bottom - top;
        double rowH = (double) plotH / rows;
        Color waiting = rowH < 3 ? WAITING_DENSE : WAITING;

        // title and legend
        g.setColor(Color.BLACK);
        g.setFont(font.deriveFont(Font.BOLD, 16f));
        g.drawString(String.format(Locale.ROOT, "jwren job %s: %d calls (%d ok, %d failed, %d retried) on %d workers, wall %.2f s, "
                        + "%d cold starts, CPU %.0f%%", s.jobId(), s.calls(), s.succeeded(), s.failed(), s.retried(), workers,
                s.wall().toNanos() / 1e9, s.coldStarts(), 100 * s.cpuShare()), left, 26);
        g.setFont(font);
        int lx = left;
        int ly = 50;
        lx = legend(g, fm, lx, ly, waiting, true, "waiting: submitted to started");
        lx = legend(g, fm, lx, ly, OK, false, "ran, succeeded");
        lx = legend(g, fm, lx, ly, FAILED, false, "ran, failed");
        lx = legend(g, fm, lx, ly, CPU, false, "CPU share (lower half)");
        lx = legend(g, fm, lx, ly, COLD, false, "cold start");
        g.setColor(Color.BLACK);
        g.drawRect(lx, ly - 10, 21, 11);
        g.drawString("outlined: result from a retry", lx + 28, ly);

        // grid and x ticks
        for (int i = 0; i * xStep <= xMax + 1e-9; i++) {
            double sec = i * xStep;
            int x = left + (int) Math.round(sec / xMax * plotW);
            g.setColor(GRID);
            g.drawLine(x, top, x, bottom);
            g.setColor(Color.BLACK);
            g.drawLine(x, bottom, x, bottom + 5);
            String label = formatTick(sec, xStep);
            g.drawString(label, x - fm.stringWidth(label) / 2, bottom + 7 + fm.getAscent());
        }
        // y ticks: call indices, 0 at the top
        double yStep = Math.max(1, niceStep(rows, 10));
        for (int i = 0; i * yStep < rows; i++) {
            int idx = (int) (i * yStep);
            int y = top + (int) Math.round((idx + 0.5) * rowH);
            g.setColor(Color.BLACK);
            g.drawLine(left - 5, y, left, y);
            String label = Integer.toString(idx);
            g.drawString(label, left - 8 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
        }

        // the calls
        double pxPerMs = plotW / (xMax * 1000.0);
        int gap = rowH >= 5 ? 1 : 0;
        // waits first, then the bars, failed ones last so that none is hidden where rows share pixels
        for (CallStats c : s.callStats()) {
            int[] row = row(c, top, rowH, gap);
            int xSub = x(c.submitted().toEpochMilli(), t0, left, pxPerMs);
            int xStart = x(c.started().toEpochMilli(), t0, left, pxPerMs);
            if (xStart > xSub) {
                g.setColor(waiting);
                g.fillRect(xSub, row[0] + row[1] / 2, xStart - xSub, Math.max(1, row[1] / 5));
            }
        }
        for (boolean failedPass : new boolean[] {false, true}) {
            for (CallStats c : s.callStats()) {
                if (c.failed() != failedPass) continue;
                int[] row = row(c, top, rowH, gap);
                int barH = failedPass ? Math.max(2, row[1]) : row[1];
                int xStart = x(c.started().toEpochMilli(), t0, left, pxPerMs);
                int barW = Math.max(2, x(c.finished().toEpochMilli(), t0, left, pxPerMs) - xStart);
                g.setColor(failedPass ? FAILED : OK);
                g.fillRect(xStart, row[0], barW, barH);
                int cpuW = (int) Math.round(Math.min(1, c.cpuShare()) * barW);
                if (cpuW > 0 && barH >= 2) {
                    g.setColor(CPU);
                    g.fillRect(xStart, row[0] + barH - barH / 2, cpuW, barH / 2);
                }
                if (c.coldStart()) {
                    g.setColor(COLD);
                    g.fillRect(Math.max(left, xStart - 4), row[0], 4, Math.max(2, barH));
                }
                if (c.attempt() > 0) {
                    g.setColor(Color.BLACK);
                    g.drawRect(xStart, row[0], barW - 1, Math.max(1, barH - 1));
                }
            }
        }

        // frame and axis labels
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, plotW, plotH);
        String xLabel = "seconds since the map was submitted";
        g.drawString(xLabel, left + (plotW - fm.stringWidth(xLabel)) / 2, h - 16);
        AffineTransform saved = g.getTransform();
        String yLabel = "call index";
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(top + (plotH + fm.stringWidth(yLabel)) / 2), 18);
        g.setTransform(saved);
    }

    /** The top pixel and the height of a call's row. */
    private static int[] row(CallStats c, int top, double rowH, int gap) {
        int yTop = top + (int) Math.floor(c.index() * rowH);
        int yBot = top + (int) Math.floor((c.index() + 1) * rowH) - gap;
        return new int[] {yTop, Math.max(1, yBot - yTop)};
    }

    private static int x(long epochMs, long t0, int left, double pxPerMs) {
        return left + (int) Math.round((epochMs - t0) * pxPerMs);
    }

    private static int legend(Graphics2D g, FontMetrics fm, int x, int y, Color color, boolean line, String text) {
        g.setColor(color);
        if (line) g.fillRect(x, y - 5, 22, 3);
        else g.fillRect(x, y - 10, 22, 12);
        g.setColor(Color.BLACK);
        g.drawString(text, x + 28, y);
        return x + 28 + fm.stringWidth(text) + 28;
    }

    /** A step of 1, 2 or 5 times a power of ten that cuts {@code range} into at most about {@code ticks} parts. */
    static double niceStep(double range, int ticks) {
        double raw = range / ticks;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * mag >= raw) return m * mag;
        }
        return 10 * mag;
    }

    private static String formatTick(double v, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
