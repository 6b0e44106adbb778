package io.jwren.examples;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bench output is for scripts: every stdout line a well-formed metric, every figure present. Speed is not asserted. */
class BenchCommandTest {
    private static final Pattern METRIC = Pattern.compile("metric (\\S+) (\\S+) (\\S+)");

    @Test
    void quickClosureAndThreadsFigures() {
        CliRun run = CliRun.of("bench", "--quick", "--only", "closure,threads");
        assertEquals(0, run.exitCode(), run::transcript);
        assertEquals(List.of(
                "closure_pack_first_ms ms", "closure_pack_warm_ms ms", "closure_pack_shipped_kb KB",
                "threads_100k_noop_ms ms", "invokeall_100k_noop_ms ms", "threads_vs_invokeall_ratio x",
                "threads_alloc_per_call bytes", "invokeall_alloc_per_call bytes"),
                namesAndUnits(run));
    }

    /** Needs closure shipping: the processes figures run in worker JVMs; the S3 ones against S3Proxy; the lambda one against a loopback sink. */
    @Test
    void quickRunPrintsEveryFigure() {
        CliRun run = CliRun.of("bench", "--quick");
        assertEquals(0, run.exitCode(), run::transcript);
        assertEquals(List.of(
                "closure_pack_first_ms ms", "closure_pack_warm_ms ms", "closure_pack_shipped_kb KB",
                "threads_100k_noop_ms ms", "invokeall_100k_noop_ms ms", "threads_vs_invokeall_ratio x",
                "threads_alloc_per_call bytes", "invokeall_alloc_per_call bytes",
                "processes_chunk1_calls_per_s calls/s", "processes_chunk100_calls_per_s calls/s",
                "processes_chunk1000_calls_per_s calls/s", "submit_roundtrip_p50_ms ms", "submit_roundtrip_p99_ms ms",
                "signing_stage_unsigned_ns_per_call ns", "signing_stage_signed_ns_per_call ns",
                "signing_stage_signed_vs_unsigned_ratio x",
                "signing_worker_inputs_unsigned_ns_per_call ns", "signing_worker_inputs_signed_ns_per_call ns",
                "signing_worker_inputs_signed_vs_unsigned_ratio x",
                "signing_results_seal_unsigned_ns_per_call ns", "signing_results_seal_signed_ns_per_call ns",
                "signing_results_seal_signed_vs_unsigned_ratio x",
                "signing_results_read_unsigned_ns_per_call ns", "signing_results_read_signed_ns_per_call ns",
                "signing_results_read_signed_vs_unsigned_ratio x",
                "signing_client_unsigned_ns_per_call ns", "signing_client_signed_ns_per_call ns",
                "signing_client_signed_vs_unsigned_ratio x",
                "signing_worker_unsigned_ns_per_call ns", "signing_worker_signed_ns_per_call ns",
                "signing_worker_signed_vs_unsigned_ratio x",
                "signing_total_unsigned_ns_per_call ns", "signing_total_signed_ns_per_call ns",
                "signing_total_signed_vs_unsigned_ratio x",
                "signing_processes_chunk1000_unsigned_calls_per_s calls/s",
                "signing_processes_chunk1000_signed_calls_per_s calls/s",
                "signing_processes_chunk1000_signed_vs_unsigned_time_ratio x",
                "signing_processes_chunk1000_unsigned_cpu_ns_per_call ns",
                "signing_processes_chunk1000_signed_cpu_ns_per_call ns",
                "signing_processes_chunk1000_signed_vs_unsigned_client_cpu_ratio x",
                "signing_processes_chunk1000_signed_vs_unsigned_worker_cpu_ratio x",
                "signing_processes_chunk1000_signed_vs_unsigned_cpu_ratio x",
                "signing_processes_chunk1000_unsigned_client_cpu_ns_per_call ns",
                "signing_processes_chunk1000_unsigned_worker_cpu_ns_per_call ns",
                "signing_client_added_vs_map_client_cpu_ratio x", "signing_worker_added_vs_map_worker_cpu_ratio x",
                "signing_s3_stage_unsigned_ns_per_call ns", "signing_s3_stage_signed_ns_per_call ns",
                "signing_s3_stage_signed_vs_unsigned_ratio x",
                "signing_s3_results_read_unsigned_ns_per_call ns", "signing_s3_results_read_signed_ns_per_call ns",
                "signing_s3_results_read_signed_vs_unsigned_ratio x",
                "signing_s3_client_unsigned_ns_per_call ns", "signing_s3_client_signed_ns_per_call ns",
                "signing_s3_client_signed_vs_unsigned_ratio x",
                "processes_s3_chunk1000_calls_per_s calls/s", "s3_requests_per_call requests",
                "s3_input_upload_mb_per_s MB/s", "s3_raw_put_mb_per_s MB/s", "s3_upload_time_vs_raw_put_ratio x",
                "lambda_event_invokes_per_s invokes/s", "lambda_submit_s3_requests requests",
                "lambda_worker_s3_requests requests", "lambda_submit_invokes invokes",
                "lambda_event_submit_s3_requests requests", "lambda_event_worker_s3_requests requests",
                "worker_class_archive_build_ms ms", "worker_cold_start_no_archive_ms ms", "worker_cold_start_ms ms",
                "worker_cold_start_signed_ms ms"),
                namesAndUnits(run));
    }

    /** Issue 14 point 3: a warm submit on lambda costs the client at most 2 storage requests and 1 invoke, its worker 1. */
    @Test
    void aWarmLambdaSubmitStaysWithinItsRequestBudget() {
        CliRun run = CliRun.of("bench", "--quick", "--only", "LAMBDA");
        assertEquals(0, run.exitCode(), run::transcript);
        java.util.Map<String, Double> values = new java.util.HashMap<>();
        for (String line : run.outLines()) {
            Matcher m = METRIC.matcher(line);
            if (m.matches()) values.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertEquals(1.0, values.get("lambda_submit_invokes"), run::transcript);
        assertTrue(values.get("lambda_submit_s3_requests") <= 2, run::transcript);
        assertEquals(1.0, values.get("lambda_worker_s3_requests"), run::transcript);
        // the Event path of a stored job: the four objects staged, a listing at least, the result read back
        assertTrue(values.get("lambda_event_submit_s3_requests") >= 6, run::transcript);
    }

    /**
     * The peers themselves (Dask, Ray, Lithops from PyPI) stay out of CI: installing their venvs and a quick run
     * take minutes. Only the option's check runs here, before anything is installed.
     */
    @Test
    void peersOptionNamesKnownPeersOnly() {
        CliRun run = CliRun.of("bench", "--peers", "dask,spark");
        assertEquals(2, run.exitCode(), run::transcript);
        assertTrue(run.transcript().contains("--peers takes [dask, ray, lithops], not 'spark'"), run::transcript);
    }

    @Test
    void figuresAreFormattedAsPlainNumbers() {
        assertEquals("41.2", MetricPrinter.format(41.234));
        assertEquals("23457", MetricPrinter.format(23456.7));
        assertEquals("1.26", MetricPrinter.format(1.2649));
        assertEquals("0.001", MetricPrinter.format(0.0012));
        assertTrue(MetricPrinter.LINE.matcher("metric threads_100k_noop_ms 41.2 ms").matches());
    }

    /** Checks every stdout line is a metric with a positive finite value; returns "name unit" per line. */
    private static List<String> namesAndUnits(CliRun run) {
        List<String> seen = new ArrayList<>();
        for (String line : run.outLines()) {
            assertTrue(MetricPrinter.LINE.matcher(line).matches(), "malformed: '" + line + "'\n" + run.transcript());
            Matcher m = METRIC.matcher(line);
            assertTrue(m.matches(), line);
            double value = Double.parseDouble(m.group(2));
            assertTrue(value >= 0 && Double.isFinite(value), line);
            seen.add(m.group(1) + " " + m.group(3));
        }
        return seen;
    }
}
