package dev.tether.core.formats;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.DType;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.artifact.Tensor;
import java.util.Arrays;

/** Readers and writers for the per-sample and per-token float tensors of the scores and ref-logprobs artifacts. */
public final class SequenceScores {
    public static final String SCORES_FILE = "scores.safetensors";
    public static final String SCORES = "scores";
    public static final String REF_LOGPROBS_FILE = "ref_logprobs.safetensors";
    public static final String REF_LOGPROBS = "ref_logprobs";

    private SequenceScores() {}

    public static Tensor scores(float[] scores) {
        requireFinite(SCORES, scores);
        return Tensor.ofFloats(SCORES, new long[] {scores.length}, scores);
    }

    /** Scores for {@code batch} samples; NaN or infinite scores are refused with the sample index. */
    public static float[] readScores(SafetensorsFile f, int batch) {
        float[] s = read(f, SCORES, new long[] {batch});
        requireFinite(f.path() + ": " + SCORES, s);
        return s;
    }

    public static Tensor refLogprobs(int batch, int responseLength, float[] logprobs) {
        requireFinite(REF_LOGPROBS, logprobs);
        return Tensor.ofFloats(REF_LOGPROBS, new long[] {batch, responseLength}, logprobs);
    }

    public static float[] readRefLogprobs(SafetensorsFile f, int batch, int responseLength) {
        float[] lp = read(f, REF_LOGPROBS, new long[] {batch, responseLength});
        requireFinite(f.path() + ": " + REF_LOGPROBS, lp);
        return lp;
    }

    private static float[] read(SafetensorsFile f, String name, long[] shape) {
        if (!f.contains(name)) {
            throw new ArtifactException(f.path() + ": tensor " + name + " missing");
        }
        if (f.dtype(name) != DType.F32 || !Arrays.equals(f.shape(name), shape)) {
            throw new ArtifactException(f.path() + ": tensor " + name + ": expected F32 " + Arrays.toString(shape)
                    + " (matching the rollout), found " + f.dtype(name) + " " + Arrays.toString(f.shape(name)));
        }
        return f.get(name).toFloats();
    }

    static void requireFinite(String what, float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new ArtifactException(what + ": value " + i + " is " + v[i] + " (expected finite numbers)");
            }
        }
    }
}
