package dev.tether.tasks.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void matchesTheReferenceSequence() {
        // Computed with a ten-line Python SplitMix64 (64-bit wrap-around arithmetic).
        SplitMix64 zero = new SplitMix64(0);
        assertThat(zero.nextLong()).isEqualTo(0xe220a8397b1dcdafL);
        assertThat(zero.nextLong()).isEqualTo(0x6e789e6aa1b965f4L);
        assertThat(zero.nextLong()).isEqualTo(0x06c45d188009454fL);
        SplitMix64 fortyTwo = new SplitMix64(42);
        assertThat(fortyTwo.nextLong()).isEqualTo(0xbdd732262feb6e95L);
        assertThat(fortyTwo.nextLong()).isEqualTo(0x28efe333b266f103L);
    }

    @Test
    void nextLongIsTheJdksSplittableRandom() {
        for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE}) {
            SplitMix64 ours = new SplitMix64(seed);
            SplittableRandom jdk = new SplittableRandom(seed);
            for (int i = 0; i < 100; i++) {
                assertThat(ours.nextLong()).isEqualTo(jdk.nextLong());
            }
        }
    }

    @Test
    void derivedDrawsStayInRangeAndStreamsDiffer() {
        SplitMix64 rng = new SplitMix64(3);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            double u = rng.nextDouble();
            assertThat(u).isGreaterThanOrEqualTo(0).isLessThan(1);
            counts[rng.nextInt(7)]++;
        }
        // 10 000 expected per bucket, σ ≈ 93: ±500 is over 5σ.
        for (int c : counts) {
            assertThat(c).isBetween(9_500, 10_500);
        }
        assertThat(SplitMix64.stream(1, "sft").nextLong())
                .isNotEqualTo(SplitMix64.stream(1, "preference-pairs").nextLong())
                .isNotEqualTo(SplitMix64.stream(2, "sft").nextLong())
                .isEqualTo(SplitMix64.stream(1, "sft").nextLong());
    }
}
