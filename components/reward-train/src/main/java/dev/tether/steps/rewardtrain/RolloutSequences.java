package dev.tether.steps.rewardtrain;

import dev.tether.models.onnx.TokenBatch;
import dev.tether.core.formats.RolloutBatch;

/**
 * A rollout's rows as the reward step feeds them to the reward model: the left-padded query, then
 * the right-padded response, one mask over both (so padding sits in the middle of a row as well as
 * at its ends). Scoring them the same way here is what makes normalisation statistics computed in
 * training hold for the scores the reward step produces.
 */
record RolloutSequences(int rows, int length, long[] ids, long[] mask) {

    static RolloutSequences of(RolloutBatch r) {
        TokenBatch t = TokenBatch.queryThenResponse(r);
        return new RolloutSequences(t.batch(), t.sequence(), t.inputIds(), t.attentionMask());
    }
}
