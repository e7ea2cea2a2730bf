package dev.tether.steps.evaluate;

import dev.tether.models.onnx.TokenBatch;
import ai.djl.ndarray.NDManager;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.onnx.OnnxScorer;
import java.nio.file.Path;
import java.util.Map;

/**
 * log π_ref of each sampled response token, at the sampling temperature (so k1 and k3 estimate the
 * KL between the two distributions the tokens could have come from). The reference is given as
 * the reference step takes it: an ONNX causal LM scored on ONNX Runtime, or a policy checkpoint,
 * scored here on the PyTorch engine like the policy itself (no export: evaluation scores a few
 * hundred samples, and the same engine for both sides makes KL of a policy against itself exactly 0).
 */
final class ReferenceLogprobs {
    static final String MODEL_FILE = "model.onnx";

    private ReferenceLogprobs() {}

    /**
     * Refuses, before any sampling, a reference given twice or not at all, or one with another
     * tokenizer than the policy's (the KL would compare other words).
     */
    static void check(ArtifactReader onnx, ArtifactReader checkpoint, String policyTokenizer) {
        if ((onnx == null) == (checkpoint == null)) {
            throw new IllegalArgumentException("give exactly one of --reference (ONNX) and --reference_policy (checkpoint), got "
                    + (onnx != null ? "both" : "neither"));
        }
        ArtifactReader ref = onnx != null ? onnx : checkpoint;
        String refTokenizer = TokenizerDigest.of(ref.dir());
        // An ONNX reference may come without tokenizer.json; then there is nothing to compare.
        if (!(onnx != null && refTokenizer.equals(TokenizerDigest.NONE)) && !refTokenizer.equals(policyTokenizer)) {
            throw new ArtifactException("reference " + ref.dir() + ": its tokenizer.json (sha256 " + refTokenizer
                    + ") is not the policy's (sha256 " + policyTokenizer + "); the KL would compare other words");
        }
    }

    /** log π_ref of each response token of {@code r}, 0 where the response mask is 0; {@link #check} first. */
    static float[] score(ArtifactReader onnx, ArtifactReader checkpoint, RolloutBatch r, float temperature, int batchSize, NDManager nd) {
        float[] out = onnx != null ? onnx(onnx.file(MODEL_FILE), r, temperature, batchSize) : pytorch(checkpoint.dir(), r, temperature, batchSize, nd);
        for (int i = 0; i < out.length; i++) {
            if (r.responseMask()[i] == 0) {
                out[i] = 0;
            }
        }
        return out;
    }

    private static float[] onnx(Path model, RolloutBatch r, float temperature, int batchSize) {
        int rl = r.responseLength();
        float[] out = new float[r.batch() * rl];
        try (OnnxScorer scorer = OnnxScorer.load(model, Map.of(OnnxScorer.ROWS_PER_RUN, Integer.toString(batchSize)))) {
            if (scorer.signature().logitsRank() != 3) {
                throw new ArtifactException(model + ": logits: expected [batch, sequence, vocab] (a causal LM), found rank "
                        + scorer.signature().logitsRank());
            }
            float[][] lp = scorer.responseLogProbs(TokenBatch.queryThenResponse(r), r.queryLength(), temperature);
            for (int b = 0; b < r.batch(); b++) {
                System.arraycopy(lp[b], 0, out, b * rl, rl);
            }
        }
        return out;
    }

    private static float[] pytorch(Path dir, RolloutBatch r, float temperature, int batchSize, NDManager nd) {
        int rl = r.responseLength();
        float[] out = new float[r.batch() * rl];
        try (Checkpoint ref = PolicyArtifact.readPolicy(dir, nd)) {
            for (int from = 0; from < r.batch(); from += batchSize) {
                int to = Math.min(r.batch(), from + batchSize);
                int[] rows = new int[to - from];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = from + i;
                }
                float[] lp = PolicySamples.TeacherForced.score(ref.model(), r.rows(rows), temperature, nd).logprobs();
                System.arraycopy(lp, 0, out, from * rl, lp.length);
            }
        }
        return out;
    }
}
