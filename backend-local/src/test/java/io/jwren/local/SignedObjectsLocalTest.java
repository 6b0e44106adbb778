package io.jwren.local;

import io.jwren.Executor;
import io.jwren.MapFuture;
import io.jwren.ProtocolException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SignedObjectsContract} on a local directory, and attaching from another executor. */
class SignedObjectsLocalTest extends SignedObjectsContract {
    @Override
    String storage(String prefix) {
        return scratch.resolve("store").resolve(prefix).toUri().toString();
    }

    @Override
    Map<String, String> storageSettings() {
        return Map.of();
    }

    @Test
    void anotherExecutorAttachesWithTheSharedKeyAndIsToldClearlyWithoutIt() throws Exception {
        String key = SharedSigningKey.VALUE;
        Executor.Builder shared = Executor.builder().backend("processes").storage(storage("attach"))
                .property("jwren.workers", "1").property("jwren.retention", "0s").property("jwren.signing-key", key);
        try (Executor submitter = shared.build()) {
            MapFuture<Integer> m = submitter.map((Integer x) -> x * 2, List.of(1, 2, 3));
            assertEquals(List.of(2, 4, 6), m.get(120, TimeUnit.SECONDS));
            try (Executor same = shared.build()) {
                assertEquals(List.of(2, 4, 6), same.<Integer>attach(m.jobId()).get(60, TimeUnit.SECONDS));
            }
            try (Executor other = Executor.builder().backend("processes").storage(storage("attach")).build()) {
                ProtocolException e = assertThrows(ProtocolException.class, () -> other.attach(m.jobId()));
                assertTrue(e.getMessage().startsWith("job '" + m.jobId() + "' was signed with another key than this "
                        + "executor's: attach from an executor built with the same jwren.signing-key"), e.getMessage());
                assertTrue(!e.getMessage().contains(key), "the key is never in a message");
            }
        }
    }
}
