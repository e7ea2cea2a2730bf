package dev.tether.core.nd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Why {@link Scalars} exists: with DJL's own {@code mul(Number)} the constant's memory can be freed
 * between forward and backward. Under memory pressure (a collection, then fresh direct buffers
 * filled with 1e30 reusing the freed memory) the gradient of 3·x comes out wrong; with a scalar
 * from {@code full} it is exactly 3 every time.
 */
class ScalarsTest {
    private static int wrongGradients(UnaryOperator<NDArray> timesThree) {
        int wrong = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int trial = 0; trial < 60; trial++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray x = s.create(new float[] {1, 2, 3});
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y = timesThree.apply(x).sum();
                        List<ByteBuffer> pressure = new ArrayList<>();
                        System.gc();
                        for (int i = 0; i < 100; i++) {
                            ByteBuffer b = ByteBuffer.allocateDirect(4096);
                            while (b.remaining() >= 4) {
                                b.putFloat(1e30f);
                            }
                            pressure.add(b);
                        }
                        gc.backward(y);
                    }
                    for (float g : x.getGradient().toFloatArray()) {
                        if (g != 3f) {
                            wrong++;
                            break;
                        }
                    }
                }
            }
        }
        return wrong;
    }

    @Test
    void nativeScalarsKeepGradientsExact() {
        assertThat(wrongGradients(x -> Scalars.times(x, 3))).isZero();
        assertThat(wrongGradients(x -> Scalars.over(x, 1.0 / 3))).isZero();
    }

    @Test
    void djlNumberOverloadLosesItsConstantUnderMemoryPressure() {
        // Documents the engine bug the helper works around; if a DJL upgrade fixes it, this fails
        // and Scalars can go.
        assertThat(wrongGradients(x -> x.mul(3f))).isPositive();
    }
}
