package dev.tether.pipeline.toy;

import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.artifact.Tensor;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import java.nio.file.Path;
import java.util.List;

/** The toy artifact: a vector of numbers in {@code numbers.safetensors}. */
public final class Numbers {
    public static final String SCHEMA = "tether.test-numbers";
    static final String FILE = "numbers.safetensors";

    private Numbers() {}

    static ArtifactPort port(String name, String description) {
        return ArtifactPort.of(name, SCHEMA, ArtifactKind.DATASET, description);
    }

    public static float[] read(ArtifactReader r) {
        try (SafetensorsFile f = r.safetensors(FILE)) {
            return f.get("x").toFloats();
        }
    }

    public static float[] read(Path dir) {
        return read(ArtifactReader.open(dir, SCHEMA, 1));
    }

    static void write(ArtifactWriter w, float[] values) {
        w.writeSafetensors(FILE, List.of(Tensor.ofFloats("x", new long[] {values.length}, values)));
        w.commit();
    }

    static double total(float[] values) {
        double t = 0;
        for (float v : values) {
            t += v;
        }
        return t;
    }
}
