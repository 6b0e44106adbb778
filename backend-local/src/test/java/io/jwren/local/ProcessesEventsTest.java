package io.jwren.local;

import io.jwren.CallEvent;
import io.jwren.Executor;
import io.jwren.JobStats;
import io.jwren.MapFuture;
import io.jwren.MapOptions;
import io.jwren.WorkerLostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events and stats when a worker JVM is killed mid-call and its invocation is retried on another. */
class ProcessesEventsTest {
    private static int blockUntilGo(String dir, int x) {
        FileSignals.announce(dir, x);
        FileSignals.waitFor(dir, "go");
        return x * x;
    }

    @Test
    void aKilledWorkerGivesOneRetriedEventThenOneDoneEvent(@TempDir Path storage, @TempDir Path signals) throws Exception {
        String dir = signals.toString();
        EventsAndStatsTest.Recorder rec = new EventsAndStatsTest.Recorder();
        try (Executor ex = Executor.builder().backend("processes").storage(storage.toUri().toString())
                .property("jwren.workers", "2").build()) {
            MapFuture<Integer> f = ex.map((Integer x) -> x == 1 ? blockUntilGo(dir, x) : x * x, List.of(0, 1, 2, 3),
                    MapOptions.builder().chunkSize(1).retries(2).listener(rec).build());
            Path started = FileSignals.awaitFile(signals, "started-1", Duration.ofSeconds(60));
            long pid = Long.parseLong(Files.readString(started));
            Files.delete(started);
            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
            FileSignals.awaitFile(signals, "started-1", Duration.ofSeconds(60));
            FileSignals.create(signals, "go");
            assertEquals(List.of(0, 1, 4, 9), f.get(60, TimeUnit.SECONDS));

            List<CallEvent> retried = rec.of(CallEvent.Kind.RETRIED);
            assertEquals(1, retried.size(), rec.events.toString());
            assertEquals(1, retried.get(0).index());
            assertEquals(1, retried.get(0).attempt());
            assertInstanceOf(WorkerLostException.class, retried.get(0).error());
            List<CallEvent> done = rec.of(CallEvent.Kind.DONE);
            assertEquals(List.of(0, 1, 2, 3), done.stream().map(CallEvent::index).sorted().toList());
            assertEquals(0, rec.of(CallEvent.Kind.FAILED).size());
            CallEvent one = done.stream().filter(e -> e.index() == 1).findFirst().orElseThrow();
            assertEquals(1, one.attempt());
            assertEquals(f.calls().get(1).stats().workerId(), one.workerId());

            JobStats s = f.stats();
            assertEquals(4, s.succeeded());
            assertEquals(1, s.retried());
            assertEquals(4, s.invocations());
            assertEquals(5, s.attempts());
            assertEquals(4, s.callsPerWorker().values().stream().mapToInt(Integer::intValue).sum());
        }
    }
}
