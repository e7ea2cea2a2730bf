package dev.tether.steps.evaluate;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.models.generate.Generation;
import dev.tether.models.generate.Generator;
import dev.tether.models.generate.SamplingParams;
import dev.tether.models.generate.TokenScorer;
import dev.tether.models.nn.CausalLM;
import dev.tether.step.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * Responses sampled from the policy — plain sampling from softmax(logits / temperature), no top-k
 * or top-p, because a KL estimate from samples is only honest for samples of the distribution it
 * is about — with, per response token, the policy's log-prob and the entropy of the distribution
 * the token was drawn from (teacher-forced, one forward pass per batch).
 *
 * @param batch the samples in the rollout layout; its {@code logprobs} are the policy's, {@code values} 0
 * @param entropy [batch × responseLength], 0 where the response mask is 0
 */
record PolicySamples(RolloutBatch batch, float[] entropy) {

    /** @param promptIndex for each prompt, the line of the prompts file it came from */
    static PolicySamples sample(CausalLM model, List<int[]> prompts, int[] promptIndex, SamplingParams params, int batchSize,
            NDManager nd, Progress progress) {
        List<RolloutBatch> parts = new ArrayList<>();
        List<float[]> entropies = new ArrayList<>();
        for (int from = 0; from < prompts.size(); from += batchSize) {
            int to = Math.min(prompts.size(), from + batchSize);
            // Each batch its own seed derived from the step's, so the samples do not depend on the
            // engine's RNG state, and a rerun gives the same responses.
            Generation g = Generator.generate(model, prompts.subList(from, to), params.withSeed(params.seed() * 31 + from));
            int[] idx = new int[to - from];
            System.arraycopy(promptIndex, from, idx, 0, idx.length);
            RolloutBatch sampled = new RolloutBatch(g.batch(), g.queryLength(), g.responseLength(), g.queryIds(), g.queryMask(),
                    g.responseIds(), g.responseMask(), g.logprobs(), new float[g.batch() * g.responseLength()], idx);
            TeacherForced scored = TeacherForced.score(model, sampled, params.temperature(), nd);
            parts.add(new RolloutBatch(sampled.batch(), sampled.queryLength(), sampled.responseLength(), sampled.queryIds(),
                    sampled.queryMask(), sampled.responseIds(), sampled.responseMask(), scored.logprobs(), sampled.values(), idx));
            entropies.add(scored.entropy());
            progress.advance(to - from, "");
        }
        RolloutBatch all = RolloutBatch.concat(parts, params.padTokenId());
        return new PolicySamples(all, padEntropy(parts, entropies, all.responseLength()));
    }

    /** Per-batch entropies laid out in the concatenated batch's wider response columns. */
    private static float[] padEntropy(List<RolloutBatch> parts, List<float[]> entropies, int width) {
        int rows = parts.stream().mapToInt(RolloutBatch::batch).sum();
        float[] out = new float[rows * width];
        int row = 0;
        for (int p = 0; p < parts.size(); p++) {
            int w = parts.get(p).responseLength();
            for (int b = 0; b < parts.get(p).batch(); b++, row++) {
                System.arraycopy(entropies.get(p), b * w, out, row * width, w);
            }
        }
        return out;
    }

    /** log π and entropy of each response token of {@code r}, teacher-forced. */
    record TeacherForced(float[] logprobs, float[] entropy) {
        static TeacherForced score(CausalLM model, RolloutBatch r, float temperature, NDManager nd) {
            try (NDManager m = nd.newSubManager()) {
                Shape q = new Shape(r.batch(), r.queryLength());
                Shape s = new Shape(r.batch(), r.responseLength());
                TokenScorer.Scores sc = TokenScorer.score(model, null, m.create(r.queryIds(), q), m.create(r.queryMask(), q),
                        m.create(r.responseIds(), s), m.create(r.responseMask(), s), temperature);
                return new TeacherForced(sc.logprobs().toFloatArray(), sc.entropy().toFloatArray());
            }
        }
    }
}
