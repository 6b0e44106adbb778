package io.jwren.engine;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.jwren.Speculation;
import io.jwren.UpstreamFailureException;
import io.jwren.WorkerLostException;
import io.jwren.engine.closure.KryoFactory;
import io.jwren.engine.protocol.CallOutcome;
import io.jwren.engine.protocol.InvocationResult;
import io.jwren.engine.protocol.JobKeys;
import io.jwren.engine.protocol.ResultCodec;
import io.jwren.spi.Invocation;
import io.jwren.spi.Storage;
import io.jwren.storage.EmbeddedStorageProviders;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A chained map's engine side on a fake clock: when its invocations go, and what a lost upstream invocation does. */
class ChainedMapJobTest {
    private final FakeEngineTime time = new FakeEngineTime(1_700_000_000_000L);
    private final Storage storage = new EmbeddedStorageProviders.Memory()
            .open(URI.create("mem://chained-" + UUID.randomUUID()), null);
    private final RecordingBackend upBackend = new RecordingBackend(true);
    private final RecordingBackend downBackend = new RecordingBackend(true);

    private MapJob job(String jobId, int calls, int chunk, int retries, RecordingBackend backend) {
        List<Invocation> invs = new ArrayList<>();
        for (int first = 0, n = 0; first < calls; first += chunk, n++)
            invs.add(new Invocation(jobId, n, first, Math.min(chunk, calls - first), 0, -1, -1));
        JobPlan plan = new JobPlan(jobId, calls, chunk, invs, Duration.ofMinutes(1), Duration.ZERO, retries, 1024,
                Speculation.OFF);
        MapJob job = new MapJob(plan, backend, storage, time, null, null, getClass().getClassLoader(), () -> { });
        job.fetchOnDemand();
        return job;
    }

    @Test
    void anInvocationGoesOnceEveryUpstreamInvocationCoveringItsCallsIsDoneAndNoResultIsRead() {
        MapJob up = job("up", 6, 2, 0, upBackend);
        MapJob down = job("down", 6, 3, 0, downBackend); // calls 0-2 need up 0 and 1; calls 3-5 need up 1 and 2
        down.chainOn(up);
        up.start();
        down.start();
        assertEquals(List.of(), downBackend.submitted);
        up.completed(upBackend.submitted.get(0));
        assertEquals(List.of(), downBackend.submitted, "went with half its inputs");
        up.completed(upBackend.submitted.get(2));
        assertEquals(List.of(), downBackend.submitted);
        up.completed(upBackend.submitted.get(1));
        assertEquals(List.of(0, 1), downBackend.submitted.stream().map(Invocation::number).toList());
        time.advance(0);
        assertFalse(up.callFutures().get(0).isDone(), "the client read an upstream result nobody asked for");
    }

    @Test
    void resultsAreReadOnceDemandedAndThenAsTheyCome() throws Exception {
        MapJob up = job("up", 4, 2, 0, upBackend);
        up.start();
        Invocation first = upBackend.submitted.get(0);
        Invocation second = upBackend.submitted.get(1);
        workerWrites(first);
        up.completed(first);
        time.advance(0);
        assertFalse(up.callFutures().get(0).isDone());
        up.demand();
        time.advance(0);
        assertEquals("value 1", up.callFutures().get(1).get());
        workerWrites(second);
        up.completed(second);
        assertEquals("value 3", up.callFutures().get(3).get());
    }

    @Test
    void aLostUpstreamInvocationFailsItsDownstreamCallsWithTheLossAndTheirInvocationNeverRuns() throws Exception {
        MapJob up = job("up", 4, 2, 0, upBackend);
        MapJob down = job("down", 4, 2, 0, downBackend);
        down.chainOn(up);
        up.start();
        down.start();
        up.lost(upBackend.submitted.get(1), "killed by signal 9");
        assertEquals(List.of(), downBackend.submitted, "ran an invocation whose every input failed");
        ExecutionException e = assertThrows(ExecutionException.class, () -> down.callFutures().get(3).get());
        UpstreamFailureException chained = assertInstanceOf(UpstreamFailureException.class, e.getCause());
        assertEquals("up", chained.upstreamJobId());
        assertEquals(3, chained.callIndex());
        assertInstanceOf(WorkerLostException.class, chained.getCause());
        up.completed(upBackend.submitted.get(0));
        assertEquals(List.of(0), downBackend.submitted.stream().map(Invocation::number).toList());
        assertTrue(down.callFutures().get(2).isDone());
    }

    private void workerWrites(Invocation inv) {
        Kryo kryo = KryoFactory.newShippingKryo(getClass().getClassLoader());
        List<CallOutcome> outcomes = new ArrayList<>();
        for (int i = inv.firstCall(); i < inv.firstCall() + inv.callCount(); i++) {
            Output out = new Output(64, -1);
            kryo.writeClassAndObject(out, "value " + i);
            outcomes.add(CallOutcome.inline(i, out.toBytes(), time.nowMs(), time.nowMs()));
        }
        InvocationResult result = new InvocationResult(inv.number(), inv.attempt(), "w", "", outcomes);
        storage.putIfAbsent(JobKeys.result(inv.jobId(), inv.number()), ResultCodec.encode(result));
    }
}
