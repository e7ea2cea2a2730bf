package dev.tether.steps.sft.data;

import java.util.SplittableRandom;

/** Fisher–Yates from a Java RNG, so shuffles do not depend on the engine's random state. */
public final class Shuffle {
    private Shuffle() {}

    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
