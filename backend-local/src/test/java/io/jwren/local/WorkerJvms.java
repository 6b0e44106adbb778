package io.jwren.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The worker JVMs an executor's processes backend has running, found among this JVM's descendants. */
final class WorkerJvms {
    private WorkerJvms() {}

    static List<ProcessHandle> of(String executorId) {
        String marker = " --worker-id " + executorId + "-p";
        return ProcessHandle.current().descendants().filter(p -> commandLine(p).contains(marker)).toList();
    }

    /**
     * The whole command line, arguments separated by spaces. On Linux it is read from /proc, because
     * {@code ProcessHandle.Info} stops at 4096 bytes there, well before the end of a worker's class path.
     */
    static String commandLine(ProcessHandle process) {
        Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        if (Files.isReadable(proc)) {
            try {
                return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ');
            } catch (IOException gone) {
                return "";
            }
        }
        return process.info().commandLine().orElse("");
    }
}
