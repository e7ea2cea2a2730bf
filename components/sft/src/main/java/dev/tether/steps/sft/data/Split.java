package dev.tether.steps.sft.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded train/eval split of {@code n} records: a permutation, the first {@code round(f·n)}
 * (at least one) held out. Both parts are sorted so their order depends only on which records they
 * hold.
 */
public record Split(int[] train, int[] eval) {

    public static Split of(int n, double evalFraction, long seed, String what) {
        if (!(evalFraction > 0 && evalFraction < 1)) {
            throw new IllegalArgumentException("eval_fraction: expected 0 < f < 1 (a held-out share of the " + what + "), got " + evalFraction);
        }
        int held = Math.max(1, (int) Math.round(evalFraction * n));
        if (n - held < 1) {
            throw new IllegalArgumentException(what + ": " + n + " records leave none to train on after holding out " + held
                    + " for evaluation (eval_fraction " + evalFraction + ")");
        }
        int[] order = Shuffle.permutation(n, new SplittableRandom(seed));
        int[] eval = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, n);
        Arrays.sort(eval);
        Arrays.sort(train);
        return new Split(train, eval);
    }
}
