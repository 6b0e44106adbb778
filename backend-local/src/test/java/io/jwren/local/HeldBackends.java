package io.jwren.local;

import io.jwren.testing.RememberingProvider;

/** Test backends "threads-held" and "processes-held": the real ones, remembered so a test can ask what they still hold. */
public final class HeldBackends {
    private HeldBackends() {}

    public static final class Threads extends RememberingProvider {
        public Threads() {
            super("threads-held", new LocalBackendProviders.Threads());
        }
    }

    public static final class Processes extends RememberingProvider {
        public Processes() {
            super("processes-held", new LocalBackendProviders.Processes());
        }
    }
}
