package dev.tether.steps.sft.data;

import java.util.SplittableRandom;

/**
 * Minibatches of record indices: epochs in a seeded random order, each batch the next
 * {@code batchSize} of the stream (a batch may straddle two epochs). A batch size of 0, or one at
 * least the data's size, gives the whole data every step in a fixed order (full-batch training).
 */
public final class BatchSampler {
    private final int[] rows;
    private final int batchSize;
    private final SplittableRandom rng;
    private int[] order;
    private int next;

    /** @param rows the record indices to draw from (e.g. a split's training part) */
    public BatchSampler(int[] rows, int batchSize, long seed) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no records to draw batches from");
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch_size: expected ≥ 0 (0 = all records every step), got " + batchSize);
        }
        this.rows = rows.clone();
        this.batchSize = batchSize == 0 || batchSize >= rows.length ? rows.length : batchSize;
        this.rng = new SplittableRandom(seed);
        this.order = this.batchSize == rows.length ? this.rows : shuffled();
    }

    public boolean fullBatch() {
        return batchSize == rows.length;
    }

    public int[] next() {
        if (fullBatch()) {
            return rows.clone();
        }
        int[] batch = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            if (next == order.length) {
                order = shuffled();
                next = 0;
            }
            batch[i] = order[next++];
        }
        return batch;
    }

    private int[] shuffled() {
        int[] p = Shuffle.permutation(rows.length, rng);
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = rows[p[i]];
        }
        return out;
    }
}
