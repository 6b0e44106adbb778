package io.jwren.worker;

/**
 * The worker jar's main class, for containers and the command line: {@code java -jar jwren-worker.jar --job ID
 * --invocation N}, or {@code --serve} for a local worker JVM. The worker itself is the engine's
 * {@link io.jwren.engine.worker.WorkerMain}; this name stays stable for images and scripts that give it.
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws java.io.IOException {
        io.jwren.engine.worker.WorkerMain.main(args);
    }
}
