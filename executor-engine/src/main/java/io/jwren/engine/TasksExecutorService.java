package io.jwren.engine;

import io.jwren.CallFuture;
import io.jwren.Executor;
import io.jwren.SerializableCallable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@link Executor#asExecutorService()}: each task runs as a call on the executor's backend; {@code invokeAll} and
 * {@code invokeAny} map over their tasks, which travel as the map's inputs. Every task is handed to the backend when
 * it is submitted, so nothing waits in a queue: {@code shutdownNow} cancels every unfinished task.
 */
final class TasksExecutorService implements ExecutorService {
    private static final System.Logger LOG = System.getLogger("io.jwren");

    private final Executor executor;
    private final Object lock = new Object();
    private final Set<CallFuture<?>> unfinished = ConcurrentHashMap.newKeySet();
    private boolean shutdown;

    TasksExecutorService(Executor executor) {
        this.executor = executor;
    }

    /** A plain {@link Callable} that is also Serializable, shipped as it is. */
    private record CallableTask<T>(Callable<T> task) implements SerializableCallable<T> {
        @Override
        public T call() throws Exception {
            return task.call();
        }
    }

    /** A Serializable {@link Runnable}, with the result its future gives. */
    private record RunnableTask<T>(Runnable task, T result) implements SerializableCallable<T> {
        @Override
        public T call() {
            task.run();
            return result;
        }
    }

    private static <T> T shippable(T task, String kind) {
        if (task == null) throw new NullPointerException("task");
        if (!(task instanceof Serializable)) {
            String example = kind.equals("Runnable") ? "(Runnable & Serializable) () -> ..."
                    : "(Callable<T> & Serializable) () -> ..., or declare it as an io.jwren.SerializableCallable<T>";
            throw new IllegalArgumentException("the task " + task.getClass().getName() + " is a " + kind
                    + " that is not Serializable, so it cannot be shipped to jwren's workers: make it Serializable, e.g. "
                    + example);
        }
        return task;
    }

    @SuppressWarnings("unchecked")
    private static <T> SerializableCallable<T> callable(Callable<T> task) {
        shippable(task, "Callable");
        return task instanceof SerializableCallable<?> s ? (SerializableCallable<T>) s : new CallableTask<>(task);
    }

    /** Starts calls through {@code start} unless shut down, and follows each until it is done. */
    private <T> List<CallFuture<T>> start(Supplier<List<CallFuture<T>>> start) {
        List<CallFuture<T>> calls;
        synchronized (lock) {
            if (shutdown) throw new RejectedExecutionException("this ExecutorService of " + executor + " is shut down");
            calls = start.get();
            unfinished.addAll(calls);
        }
        calls.forEach(this::follow);
        return calls;
    }

    private void follow(CallFuture<?> f) {
        f.toCompletableFuture().whenComplete((v, e) -> {
            synchronized (lock) {
                unfinished.remove(f);
                if (unfinished.isEmpty()) lock.notifyAll();
            }
        });
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        SerializableCallable<T> c = callable(task);
        return start(() -> List.of(executor.<T>submit(c))).get(0);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        RunnableTask<T> c = new RunnableTask<>(shippable(task, "Runnable"), result);
        return start(() -> List.of(executor.<T>submit(c))).get(0);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return submit(task, null);
    }

    /** Runs the task; a failure is logged, as a thread pool hands it to the uncaught-exception handler. */
    @Override
    public void execute(Runnable command) {
        Future<?> f = submit(command);
        ((CallFuture<?>) f).toCompletableFuture().whenComplete((v, e) -> {
            if (e != null && !(e instanceof CancellationException))
                LOG.log(System.Logger.Level.WARNING, "a task run through execute() failed", e);
        });
    }

    /** One map over the tasks, each its own input: its call futures in the tasks' order. */
    private <T> List<CallFuture<T>> mapTasks(Collection<? extends Callable<T>> tasks) {
        List<SerializableCallable<T>> inputs = new ArrayList<>(tasks.size());
        for (Callable<T> t : tasks) inputs.add(callable(t));
        if (inputs.isEmpty()) return List.of();
        // call() may throw what the task throws: a checked exception reaches Future.get() as its cause, as the JDK's do
        return start(() -> executor.map((SerializableCallable<T> task) -> task.call(), inputs).calls());
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<CallFuture<T>> calls = mapTasks(tasks);
        try {
            for (CallFuture<T> c : calls) awaitDone(c, Long.MAX_VALUE);
        } catch (InterruptedException e) {
            calls.forEach(c -> c.cancel(true));
            throw e;
        }
        return List.copyOf(calls);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        List<CallFuture<T>> calls = mapTasks(tasks);
        try {
            for (CallFuture<T> c : calls) {
                if (!awaitDone(c, deadline)) break;
            }
        } finally {
            for (CallFuture<T> c : calls) if (!c.isDone()) c.cancel(true);
        }
        return List.copyOf(calls);
    }

    /** Waits until {@code f} is done or {@code deadline} (a {@link System#nanoTime} value) passes. */
    private static boolean awaitDone(Future<?> f, long deadline) throws InterruptedException {
        try {
            if (deadline == Long.MAX_VALUE) f.get();
            else f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException e) {
            // done, failed or cancelled: the caller reads it from the future
        } catch (TimeoutException e) {
            return false;
        }
        return true;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline, yet timed out", e);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (tasks.isEmpty()) throw new IllegalArgumentException("invokeAny needs at least one task");
        List<CallFuture<T>> calls = mapTasks(tasks);
        CompletableFuture<T> first = new CompletableFuture<>();
        AtomicInteger failed = new AtomicInteger();
        for (CallFuture<T> c : calls) {
            c.toCompletableFuture().whenComplete((v, e) -> {
                if (e == null) first.complete(v);
                else if (failed.incrementAndGet() == calls.size())
                    first.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e);
            });
        }
        try {
            return unit == null ? first.get() : first.get(timeout, unit);
        } finally {
            for (CallFuture<T> c : calls) if (!c.isDone()) c.cancel(true);
        }
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
            if (unfinished.isEmpty()) lock.notifyAll();
        }
    }

    /** Cancels every unfinished task; as every task went to the backend when submitted, none is left to return. */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        for (CallFuture<?> f : List.copyOf(unfinished)) f.cancel(true);
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return shutdown && unfinished.isEmpty();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (!(shutdown && unfinished.isEmpty())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    @Override
    public String toString() {
        return "ExecutorService[" + executor + (isShutdown() ? ", shut down" : "") + "]";
    }
}
