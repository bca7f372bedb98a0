package org.fedgen.core.sim;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * W worker threads, each owning one model instance created on first use. Tasks receive the model of the thread that
 * runs them, so memory is O(W · model) however many virtual clients there are.
 *
 * @param <M> the model type
 */
public final class WorkerPool<M> implements AutoCloseable {
    private final ExecutorService executor;
    private final ThreadLocal<M> model;
    private final int size;

    /**
     * @param workers number of threads (W &gt;= 1)
     * @param factory creates one model per thread; called on that thread
     */
    public WorkerPool(int workers, Supplier<? extends M> factory) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.size = workers;
        this.model = ThreadLocal.withInitial(factory);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "fedgen-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(workers, tf);
    }

    /** Runs {@code task} on a free worker with that worker's model. */
    public <T> CompletableFuture<T> submit(Function<? super M, ? extends T> task) {
        return CompletableFuture.supplyAsync(() -> task.apply(model.get()), executor);
    }

    /** The number of workers. */
    public int size() {
        return size;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
