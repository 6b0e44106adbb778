package io.jwren.local.signed;

/** Shipped in a bundle: the class an attacker's swapped bundle replaces with one whose static initializer acts. */
public final class Greeter {
    private Greeter() {}

    public static String greet(int n) {
        return "hello " + n;
    }
}
