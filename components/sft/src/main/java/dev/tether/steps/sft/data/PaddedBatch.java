package dev.tether.steps.sft.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Token sequences right-padded into one rectangle [rows, length] with a mask (1 = token,
 * 0 = padding). Right padding keeps every row's positions 0, 1, 2, … and its targets in place.
 */
public record PaddedBatch(int rows, int length, long[] ids, long[] mask) {

    public static PaddedBatch rightPadded(List<int[]> sequences, int padId) {
        int rows = sequences.size();
        int length = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        long[] ids = new long[rows * length];
        long[] mask = new long[rows * length];
        Arrays.fill(ids, padId);
        for (int r = 0; r < rows; r++) {
            int[] s = sequences.get(r);
            for (int t = 0; t < s.length; t++) {
                ids[r * length + t] = s[t];
                mask[r * length + t] = 1;
            }
        }
        return new PaddedBatch(rows, length, ids, mask);
    }

    /** int64 [rows, length] */
    public NDArray ids(NDManager m) {
        return m.create(ids, new Shape(rows, length));
    }

    /** int64 [rows, length] */
    public NDArray mask(NDManager m) {
        return m.create(mask, new Shape(rows, length));
    }
}
