package io.jwren;

import io.jwren.engine.protocol.JobKeys;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The areas an {@link ObjectStore} refuses are exactly where the engine writes (docs/PROTOCOL.md, {@link JobKeys}). */
class ObjectStoreAreasTest {
    @Test
    void everyAreaOfTheProtocolIsRefusedAndNothingElse() {
        assertEquals(java.util.List.of(JobKeys.JOBS, JobKeys.CLASSES), StoredObjects.RESERVED);
        ObjectStore store = ObjectStore.of("mem://object-store-areas/", Config.resolve(Map.of()));
        for (String key : java.util.List.of(JobKeys.manifest("j-M000"), JobKeys.bundle("ab"), JobKeys.result("j-M000", 0),
                JobKeys.cancelled("j-M000"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.put(key, new byte[0]), key);
            assertTrue(e.getMessage().contains("jwren's own area"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.delete(key), key);
        }
        store.put("jobsheet.csv", new byte[] {1});
        store.put("data/jobs/1", new byte[] {2});
        assertEquals(java.util.List.of("data/jobs/1", "jobsheet.csv"), store.list(""));
        store.delete("jobsheet.csv");
        assertEquals(java.util.List.of("data/jobs/1"), store.list(""));
    }
}
