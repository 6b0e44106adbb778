// Monte Carlo estimate of pi from JShell, on the threads backend and then on worker JVMs:
//   jshell --class-path examples/target/jwren-examples.jar examples/jshell/jwren.jsh examples/jshell/montecarlo.jsh
// The method and the top-level variables below live only in JShell; jwren ships them to the workers.
long seed = 42;
long trials = 20_000_000;
int slices = 20;

long countInside(int slice, long n) {
    var rng = new SplittableRandom(seed * 1_000_003L + slice);
    long inside = 0;
    for (long i = 0; i < n; i++) {
        double x = rng.nextDouble(), y = rng.nextDouble();
        if (x * x + y * y <= 1) inside++;
    }
    return inside;
}

for (String backend : List.of("threads", "processes")) {
    try (Executor ex = Executor.builder().backend(backend).build()) {
        long start = System.nanoTime();
        List<Long> counts = ex.map((Integer s) -> countInside(s, trials / slices),
                IntStream.range(0, slices).boxed().toList()).get();
        long inside = counts.stream().mapToLong(Long::longValue).sum();
        System.out.printf("%-9s pi ~ %.6f (%d of %d points inside) in %.2f s%n", backend, 4.0 * inside / trials,
                inside, trials, (System.nanoTime() - start) / 1e9);
    }
}
/exit
