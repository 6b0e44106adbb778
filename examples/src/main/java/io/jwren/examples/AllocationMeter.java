package io.jwren.examples;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the heap by all live threads of this JVM. Allocation per call is a steadier
 * measure of a code path's cost than time on a small VM, where touching fresh heap pages can double
 * the time of whichever side allocates more.
 */
final class AllocationMeter {
    private final com.sun.management.ThreadMXBean threads;

    AllocationMeter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        this.threads = bean instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()
                ? t : null;
        if (threads != null && !threads.isThreadAllocatedMemoryEnabled()) threads.setThreadAllocatedMemoryEnabled(true);
    }

    /** Whether this JVM can count allocations; without it, {@link #total()} is always 0. */
    boolean supported() {
        return threads != null;
    }

    long total() {
        return threads == null ? 0 : threads.getTotalThreadAllocatedBytes();
    }
}
