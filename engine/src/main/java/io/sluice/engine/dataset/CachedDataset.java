package io.sluice.engine.dataset;

import java.util.ArrayList;
import java.util.List;

import io.sluice.memory.Batch;
import io.sluice.memory.Schema;

/**
 * Keeps the partitions of its parent in memory once computed, remembering which worker computed each. Evicting
 * partitions ({@link #evict}, or {@link #loseWorker} for every partition a worker computed) drops them; the next
 * action recomputes only the missing partitions from lineage, as one stage spread over all workers.
 * Thread-safe; cached batches are released by {@link #unpersist()} or when the context closes.
 */
public final class CachedDataset extends Dataset {
    private final Dataset parent;
    private final Batch[] cached;
    private final int[] computedBy;
    private final boolean[] everComputed;
    private long recomputed;
    private int lastRecomputed;

    CachedDataset(final Dataset parent) {
        super(parent.ctx);
        this.parent = parent;
        this.cached = new Batch[parent.numPartitions()];
        this.computedBy = new int[cached.length];
        this.everComputed = new boolean[cached.length];
        ctx.registerOnClose(this::unpersist);
    }

    @Override
    public Schema schema() {
        return parent.schema();
    }

    @Override
    public int numPartitions() {
        return cached.length;
    }

    @Override
    synchronized StageInput openInput(final int[] parts) {
        final List<Integer> missing = new ArrayList<>();
        for (final int p : parts) {
            if (cached[p] == null && !missing.contains(p)) {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            final int[] todo = missing.stream().mapToInt(Integer::intValue).toArray();
            final PartitionStage.Result<Batch> result = parent.runChain("cache-fill", todo, (b, k) -> b,
                parent::concatParts, Batch::release);
            int again = 0;
            for (int i = 0; i < todo.length; i++) {
                cached[todo[i]] = result.values.get(i);
                computedBy[todo[i]] = result.workers[i];
                if (everComputed[todo[i]]) {
                    again++;
                }
                everComputed[todo[i]] = true;
            }
            lastRecomputed = again;
            recomputed += again;
        } else {
            lastRecomputed = 0;
        }
        final Batch[] held = new Batch[parts.length];
        for (int k = 0; k < parts.length; k++) {
            held[k] = cached[parts[k]].retain();
        }
        return new PreparedInput(held);
    }

    /** Computes every missing partition now (one stage); returns this. */
    public CachedDataset materialize() {
        openInput(allPartitions()).close();
        return this;
    }

    /** Drops the listed cached partitions (those not cached are ignored); returns how many were dropped. */
    public synchronized int evict(final int... parts) {
        int dropped = 0;
        for (final int p : parts) {
            if (p < 0 || p >= cached.length) {
                throw new IndexOutOfBoundsException("partition=" + p + " out of range [0, " + cached.length + ")");
            }
            if (cached[p] != null) {
                cached[p].release();
                cached[p] = null;
                dropped++;
            }
        }
        return dropped;
    }

    /** Simulates the loss of worker {@code worker}: drops every cached partition it computed; returns their count. */
    public synchronized int loseWorker(final int worker) {
        final List<Integer> lost = new ArrayList<>();
        for (int p = 0; p < cached.length; p++) {
            if (cached[p] != null && computedBy[p] == worker) {
                lost.add(p);
            }
        }
        return evict(lost.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The worker whose attempt computed cached partition {@code p}. */
    public synchronized int computedBy(final int p) {
        if (cached[p] == null) {
            throw new IllegalStateException("partition=" + p + " is not cached");
        }
        return computedBy[p];
    }

    public synchronized int cachedPartitions() {
        int n = 0;
        for (final Batch b : cached) {
            if (b != null) {
                n++;
            }
        }
        return n;
    }

    /** Partitions computed again after having been cached and lost, in total. */
    public synchronized long recomputedPartitions() {
        return recomputed;
    }

    /** Partitions recomputed (after a loss) by the most recent action that read this cache. */
    public synchronized int lastRecomputedPartitions() {
        return lastRecomputed;
    }

    /** Releases every cached partition; a later action computes them again (not counted as recomputation). */
    public synchronized void unpersist() {
        for (int p = 0; p < cached.length; p++) {
            if (cached[p] != null) {
                cached[p].release();
                cached[p] = null;
                everComputed[p] = false;
            }
        }
    }

    @Override
    public <R> R accept(final LineageVisitor<R> visitor) {
        return visitor.cached(parent);
    }
}
