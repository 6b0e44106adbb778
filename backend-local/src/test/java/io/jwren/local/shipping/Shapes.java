package io.jwren.local.shipping;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** User types that exist only in the test's classes; the worker JVMs get them from shipped bundles. */
public final class Shapes {
    private Shapes() {}

    public record Point(int x, int y) {
        public int manhattan() {
            return Math.abs(x) + Math.abs(y);
        }
    }

    public enum Mode {
        SUM, PRODUCT {
            @Override
            public long combine(long a, long b) {
                return a * b;
            }
        };

        public long combine(long a, long b) {
            return a + b;
        }
    }

    /** A generic container, used as input and as result type. */
    public static final class Box<T> {
        private final T value;

        public Box(T value) {
            this.value = value;
        }

        public T get() {
            return value;
        }
    }

    /** A graph node; graphs of them may be cyclic. */
    public static final class Node {
        public final String name;
        public Node next;

        public Node(String name) {
            this.name = name;
        }

        /** Follows next until it comes back to this node; the length of the cycle. */
        public int cycleLength() {
            int n = 1;
            for (Node at = next; at != this; at = at.next) n++;
            return n;
        }
    }

    /** Holds an inner-class instance: the inner object reaches its outer one through this$0. */
    public static final class Outer implements Serializable {
        private final int offset;

        public Outer(int offset) {
            this.offset = offset;
        }

        public Shifter shifter() {
            return new Shifter();
        }

        public final class Shifter {
            public int shift(int x) {
                return x + offset;
            }
        }
    }

    /** A static helper in another user class, called from a lambda. */
    public static final class Collatz {
        private Collatz() {}

        public static int steps(long n) {
            int steps = 0;
            for (; n != 1; steps++) n = (n % 2 == 0) ? n / 2 : 3 * n + 1;
            return steps;
        }

        public static List<Integer> upTo(int n) {
            List<Integer> out = new ArrayList<>();
            for (int i = 1; i <= n; i++) out.add(steps(i));
            return out;
        }
    }
}
