package io.jwren.local;

import io.jwren.Executor;
import org.junit.jupiter.api.AfterAll;

/** Chained maps on the threads backend: no storage between the stages at all. */
class ChainedMapsOnThreadsTest extends ChainedMapsContract {
    private final Executor ex = Executor.builder().backend("threads").property("jwren.workers", "2").build();

    @AfterAll
    void close() {
        ex.close();
    }

    @Override
    Executor executor() {
        return ex;
    }

    @Override
    long assertClientReadNoResult(String jobId) {
        return 0; // in-process: results never go through storage
    }

    @Override
    long resultReads(String jobId) {
        return 0;
    }

    @Override
    Executor attacher() {
        return null;
    }
}
