package io.jwren.engine;

import io.jwren.JobStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarTest {
    @Test
    void drawsOnlyWhereAsked() {
        assertTrue(ProgressBar.enabled("auto", true));
        assertFalse(ProgressBar.enabled("auto", false));
        assertFalse(ProgressBar.enabled(null, false));
        assertTrue(ProgressBar.enabled("always", false));
        assertTrue(ProgressBar.enabled(" ALWAYS ", false));
        assertFalse(ProgressBar.enabled("never", true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProgressBar.enabled("sometimes", true));
        assertEquals("jwren.progress must be auto, always or never, was 'sometimes'", e.getMessage());
    }

    @Test
    void aLineShowsDoneFailedRunningRateAndEta() {
        JobStatus s = new JobStatus("j-M000", 100, 48, 2, 8);
        assertEquals("j-M000 [############------------] 50/100 ok 48 failed 2 running 8 12.5/s ETA 0:04",
                ProgressBar.line("j-M000", s, 4000));
        JobStatus none = new JobStatus("j", 10, 0, 0, 4);
        assertEquals("j [------------------------] 0/10 ok 0 failed 0 running 4 0.0/s ETA --:--", ProgressBar.line("j", none, 1500));
        JobStatus all = new JobStatus("j", 10, 9, 1, 1);
        assertEquals("j [########################] 10/10 ok 9 failed 1 running 0 2.0/s in 0:05", ProgressBar.line("j", all, 5000));
    }

    @Test
    void clockReadsMinutesAndHours() {
        assertEquals("0:00", ProgressBar.clock(0));
        assertEquals("1:05", ProgressBar.clock(65));
        assertEquals("2:00:01", ProgressBar.clock(7201));
    }
}
