package dev.tether.core.formats;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.DType;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.artifact.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tensors of a rollout artifact ({@code rollout.safetensors}), flat row-major: queries
 * left-padded to {@code queryLength} with {@code queryMask}, responses right-padded to
 * {@code responseLength} with {@code responseMask}, and per response token the sampling log-prob
 * and the critic's value. {@code promptIndex} says which prompt (line of the prompts artifact)
 * each row answers, so shards merge back in a known order.
 */
public record RolloutBatch(
        int batch,
        int queryLength,
        int responseLength,
        int[] queryIds,
        int[] queryMask,
        int[] responseIds,
        int[] responseMask,
        float[] logprobs,
        float[] values,
        int[] promptIndex) {

    public static final String FILE_NAME = "rollout.safetensors";
    public static final String TEXT_FILE_NAME = "rollout.jsonl";

    public RolloutBatch {
        check("query_ids", queryIds.length, batch * queryLength);
        check("query_mask", queryMask.length, batch * queryLength);
        check("response_ids", responseIds.length, batch * responseLength);
        check("response_mask", responseMask.length, batch * responseLength);
        check("logprobs", logprobs.length, batch * responseLength);
        check("values", values.length, batch * responseLength);
        check("prompt_index", promptIndex.length, batch);
        for (int b = 0; b < batch; b++) {
            checkPadding(b, queryMask, queryLength, true);
            checkPadding(b, responseMask, responseLength, false);
        }
    }

    public List<Tensor> toTensors() {
        long[] q = {batch, queryLength};
        long[] r = {batch, responseLength};
        return List.of(
                Tensor.ofInts("query_ids", q, queryIds),
                Tensor.ofInts("query_mask", q, queryMask),
                Tensor.ofInts("response_ids", r, responseIds),
                Tensor.ofInts("response_mask", r, responseMask),
                Tensor.ofFloats("logprobs", r, logprobs),
                Tensor.ofFloats("values", r, values),
                Tensor.ofInts("prompt_index", new long[] {batch}, promptIndex));
    }

    /** Reads and checks every tensor's dtype and shape against the others. */
    public static RolloutBatch read(SafetensorsFile f) {
        long[] q = shape2(f, "query_ids");
        long[] r = shape2(f, "response_ids");
        int batch = (int) q[0];
        if (r[0] != batch) {
            throw new ArtifactException(f.path() + ": response_ids has " + r[0] + " rows, query_ids has " + batch);
        }
        expect(f, "query_mask", DType.I32, q);
        expect(f, "response_mask", DType.I32, r);
        expect(f, "logprobs", DType.F32, r);
        expect(f, "values", DType.F32, r);
        expect(f, "prompt_index", DType.I32, new long[] {batch});
        return new RolloutBatch(batch, (int) q[1], (int) r[1], f.get("query_ids").toInts(), f.get("query_mask").toInts(),
                f.get("response_ids").toInts(), f.get("response_mask").toInts(), f.get("logprobs").toFloats(),
                f.get("values").toFloats(), f.get("prompt_index").toInts());
    }

    /** Number of real tokens in row b's response. */
    public int responseLength(int b) {
        int n = 0;
        for (int t = 0; t < responseLength; t++) {
            n += responseMask[b * responseLength + t];
        }
        return n;
    }

    /** Row b's response tokens without padding. */
    public int[] response(int b) {
        return Arrays.copyOfRange(responseIds, b * responseLength, b * responseLength + responseLength(b));
    }

    /** Row b's query tokens without padding. */
    public int[] query(int b) {
        int pad = 0;
        while (pad < queryLength && queryMask[b * queryLength + pad] == 0) {
            pad++;
        }
        return Arrays.copyOfRange(queryIds, b * queryLength + pad, (b + 1) * queryLength);
    }

    /** Shards merged in order, re-padded to the longest query and response; pad id for the new padding. */
    public static RolloutBatch concat(List<RolloutBatch> parts, int padId) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("rollout shards: expected at least one, got none");
        }
        int batch = 0;
        int ql = 0;
        int rl = 0;
        for (RolloutBatch p : parts) {
            batch += p.batch;
            ql = Math.max(ql, p.queryLength);
            rl = Math.max(rl, p.responseLength);
        }
        int[] qIds = new int[batch * ql];
        int[] qMask = new int[batch * ql];
        int[] rIds = new int[batch * rl];
        int[] rMask = new int[batch * rl];
        float[] lp = new float[batch * rl];
        float[] v = new float[batch * rl];
        int[] idx = new int[batch];
        Arrays.fill(qIds, padId);
        Arrays.fill(rIds, padId);
        int row = 0;
        for (RolloutBatch p : parts) {
            for (int b = 0; b < p.batch; b++, row++) {
                int shift = ql - p.queryLength; // left padding grows on the left
                System.arraycopy(p.queryIds, b * p.queryLength, qIds, row * ql + shift, p.queryLength);
                System.arraycopy(p.queryMask, b * p.queryLength, qMask, row * ql + shift, p.queryLength);
                System.arraycopy(p.responseIds, b * p.responseLength, rIds, row * rl, p.responseLength);
                System.arraycopy(p.responseMask, b * p.responseLength, rMask, row * rl, p.responseLength);
                System.arraycopy(p.logprobs, b * p.responseLength, lp, row * rl, p.responseLength);
                System.arraycopy(p.values, b * p.responseLength, v, row * rl, p.responseLength);
                idx[row] = p.promptIndex[b];
            }
        }
        return new RolloutBatch(batch, ql, rl, qIds, qMask, rIds, rMask, lp, v, idx);
    }

    /** Rows in the given order (for minibatches). */
    public RolloutBatch rows(int[] order) {
        List<RolloutBatch> one = new ArrayList<>();
        for (int b : order) {
            one.add(new RolloutBatch(1, queryLength, responseLength,
                    Arrays.copyOfRange(queryIds, b * queryLength, (b + 1) * queryLength),
                    Arrays.copyOfRange(queryMask, b * queryLength, (b + 1) * queryLength),
                    Arrays.copyOfRange(responseIds, b * responseLength, (b + 1) * responseLength),
                    Arrays.copyOfRange(responseMask, b * responseLength, (b + 1) * responseLength),
                    Arrays.copyOfRange(logprobs, b * responseLength, (b + 1) * responseLength),
                    Arrays.copyOfRange(values, b * responseLength, (b + 1) * responseLength),
                    new int[] {promptIndex[b]}));
        }
        return concat(one, 0);
    }

    private static long[] shape2(SafetensorsFile f, String name) {
        if (!f.contains(name)) {
            throw new ArtifactException(f.path() + ": tensor " + name + " missing (a rollout needs query_ids, query_mask, response_ids, response_mask, logprobs, values, prompt_index)");
        }
        long[] s = f.shape(name);
        if (s.length != 2 || f.dtype(name) != DType.I32) {
            throw new ArtifactException(f.path() + ": tensor " + name + ": expected I32 [batch, length], found " + f.dtype(name) + " " + Arrays.toString(s));
        }
        return s;
    }

    private static void expect(SafetensorsFile f, String name, DType dtype, long[] shape) {
        if (!f.contains(name)) {
            throw new ArtifactException(f.path() + ": tensor " + name + " missing");
        }
        if (f.dtype(name) != dtype || !Arrays.equals(f.shape(name), shape)) {
            throw new ArtifactException(f.path() + ": tensor " + name + ": expected " + dtype + " " + Arrays.toString(shape)
                    + ", found " + f.dtype(name) + " " + Arrays.toString(f.shape(name)));
        }
    }

    private static void check(String name, int found, int expected) {
        if (found != expected) {
            throw new ArtifactException("rollout tensor " + name + ": expected " + expected + " values, found " + found);
        }
    }

    private static void checkPadding(int b, int[] mask, int length, boolean left) {
        boolean seenReal = false;
        boolean seenPadAfterReal = false;
        for (int t = 0; t < length; t++) {
            int m = mask[b * length + t];
            if (m != 0 && m != 1) {
                throw new ArtifactException("rollout row " + b + ": " + (left ? "query_mask" : "response_mask") + " holds " + m + " (expected 0 or 1)");
            }
            if (m == 1) {
                if (!left && seenPadAfterReal) {
                    throw new ArtifactException("rollout row " + b + ": response_mask is not right-padded (a token after padding at position " + t + ")");
                }
                seenReal = true;
            } else if (seenReal) {
                if (left) {
                    throw new ArtifactException("rollout row " + b + ": query_mask is not left-padded (padding after a token at position " + t + ")");
                }
                seenPadAfterReal = true;
            }
        }
    }
}
