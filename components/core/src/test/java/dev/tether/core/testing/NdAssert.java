package dev.tether.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;

/** Element-wise comparisons with the largest difference in the failure message. */
public final class NdAssert {
    private NdAssert() {}

    public static void assertClose(NDArray actual, NDArray expected, double tol) {
        assertThat(actual.getShape()).as("shape").isEqualTo(expected.getShape());
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertThat(worst)
                .as("max |actual − expected| (at flat index %d: %s vs %s)", at,
                        at < 0 ? "-" : a[at], at < 0 ? "-" : e[at])
                .isLessThanOrEqualTo(tol);
    }

    public static void assertClose(NDArray actual, float[] expected, double tol) {
        assertClose(actual, actual.getManager().create(expected, actual.getShape()), tol);
    }
}
