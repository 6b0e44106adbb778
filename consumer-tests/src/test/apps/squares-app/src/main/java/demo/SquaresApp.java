package demo;

import io.jwren.Executor;
import io.jwren.MapOptions;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Maps x -> x * x over 0..19 on the configured backend (jwren.* system properties), then asks one worker for
 * its class path. Prints both; exits 1 if a square is wrong.
 */
public final class SquaresApp {
    public static void main(String[] args) throws Exception {
        List<Integer> inputs = IntStream.range(0, 20).boxed().toList();
        try (Executor ex = Executor.fromConfig()) {
            List<Integer> squares = ex.map((Integer x) -> x * x, inputs, MapOptions.builder().chunkSize(5).build()).get();
            System.out.println("squares " + squares);
            String workerClassPath = ex.submit(() -> System.getProperty("java.class.path")).get();
            System.out.println("worker class path " + workerClassPath);
            boolean right = squares.equals(inputs.stream().map(x -> x * x).toList());
            if (!right) System.exit(1);
        }
    }
}
