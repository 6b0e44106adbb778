package io.jwren.examples;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Writes bench figures as {@code metric <name> <value> <unit>} lines, one per figure, so scripts can
 * grep and compare runs. Nothing else goes to this writer.
 */
final class MetricPrinter {
    /** The line format: lower-case name, plain decimal number, unit without spaces. */
    static final Pattern LINE = Pattern.compile("metric [a-z][a-z0-9_]* -?\\d+(\\.\\d+)? \\S+");

    private final PrintWriter out;

    MetricPrinter(PrintWriter out) {
        this.out = out;
    }

    void print(String name, double value, String unit) {
        out.println("metric " + name + " " + format(value) + " " + unit);
        out.flush();
    }

    /** About three significant digits for small values, whole numbers for large ones; never exponent notation. */
    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value))
            throw new IllegalArgumentException("not a finite figure: " + value);
        double abs = Math.abs(value);
        String pattern = abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
