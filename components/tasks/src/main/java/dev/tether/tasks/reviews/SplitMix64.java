package dev.tether.tasks.reviews;

/**
 * Steele, Lea and Flood's SplitMix64, written out so the data sets depend on these few lines and
 * not on a JDK's choice of algorithm for {@code nextInt(bound)} or {@code nextDouble()}: the same
 * seed gives the same corpus on every JVM, and a Python script can reproduce it.
 *
 * <p>{@link #nextLong()} equals {@code new java.util.SplittableRandom(seed).nextLong()} (same
 * constants); the derived draws are defined here:
 * <ul>
 *   <li>{@link #nextDouble()}: the top 53 bits of nextLong, × 2⁻⁵³, in [0, 1);</li>
 *   <li>{@link #nextInt(int)}: ⌊nextDouble · bound⌋ (bias below 2⁻⁴⁰ for the bounds used
 *       here, far under anything a test of 10⁴ samples can see);</li>
 *   <li>{@link #bernoulli(double)}: nextDouble &lt; p.</li>
 * </ul>
 * Not thread-safe: one generator per stream.
 */
public final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * A generator for one named stream of a run's seed, so the SFT corpus and the preference pairs
     * drawn from the same seed are independent: seed' = mix64(seed + γ·(1 + name.hashCode())).
     * {@link String#hashCode()} is specified by the Java language, so this is stable too.
     */
    public static SplitMix64 stream(long seed, String name) {
        return new SplitMix64(mix64(seed + GOLDEN_GAMMA * (1L + name.hashCode())));
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound: expected > 0, got " + bound);
        }
        return (int) (nextDouble() * bound);
    }

    public boolean bernoulli(double p) {
        return nextDouble() < p;
    }

    // Stafford's "Mix13" finaliser, as in SplittableRandom.mix64.
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
