package io.jwren.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A two-column table of named values, names left-aligned in a column as wide as the longest. */
final class KeyValueTable {
    private final List<String[]> rows = new ArrayList<>();

    KeyValueTable row(String name, Object value) {
        rows.add(new String[] {name, String.valueOf(value)});
        return this;
    }

    void print(PrintWriter out) {
        int width = 0;
        for (String[] r : rows) width = Math.max(width, r[0].length());
        for (String[] r : rows) out.printf("%-" + width + "s  %s%n", r[0], r[1]);
        out.flush();
    }
}
