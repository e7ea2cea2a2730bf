package dev.tether.steps.sft.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.Scoped;
import dev.tether.steps.sft.data.PaddedBatch;
import java.util.List;

/**
 * Next-token cross-entropy with teacher forcing: position t predicts token t+1, and only targets
 * that are real tokens count (mask[t+1] = 1; with right padding the predicting position is then
 * real too). Returned as a sum and a count so a mean can be taken over one batch (training) or
 * over many (evaluation, a token mean over the whole split).
 */
public final class NextTokenLoss {
    private NextTokenLoss() {}

    /** Σ −log p(target) over the real targets, and their number; scalars attached to ids' manager. */
    public record Sum(NDArray nll, NDArray tokens) {
        /** The mean loss per token, differentiable. */
        public NDArray mean() {
            return nll.div(tokens);
        }
    }

    /** @param ids int64 [B,T] right-padded, {@code mask} [B,T] (T ≥ 2) */
    public static Sum of(CausalLM model, NDArray ids, NDArray mask) {
        long t = ids.getShape().get(1);
        if (t < 2) {
            throw new IllegalArgumentException("next-token loss needs sequences of at least 2 tokens, found a batch of length " + t);
        }
        NDList out = Scoped.keep(ids.getManager(), () -> {
            NDArray hidden = model.hidden(ids, mask, null); // [B,T,D]
            NDArray predicting = hidden.get(new NDIndex(":, :-1, :")); // [B,T-1,D]: no target after the last token
            NDArray logp = model.logits(predicting).logSoftmax(-1); // [B,T-1,V]
            NDArray targets = ids.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
            NDArray valid = mask.get(new NDIndex(":, 1:")).toType(DataType.FLOAT32, false);
            NDArray tokenLogp = logp.gather(targets.expandDims(-1), -1).squeeze(-1); // [B,T-1]
            return new NDList(tokenLogp.mul(valid).sum().neg(), valid.sum());
        });
        return new Sum(out.get(0), out.get(1));
    }

    /** The token-mean loss over all {@code sequences}, {@code batchSize} at a time, without gradients. */
    public static double mean(CausalLM model, List<int[]> sequences, int batchSize, int padId) {
        double nll = 0;
        double tokens = 0;
        for (int from = 0; from < sequences.size(); from += batchSize) {
            PaddedBatch b = PaddedBatch.rightPadded(sequences.subList(from, Math.min(sequences.size(), from + batchSize)), padId);
            try (NDManager m = model.parameters().manager().newSubManager()) {
                Sum s = of(model, b.ids(m), b.mask(m));
                nll += s.nll().getFloat();
                tokens += s.tokens().getFloat();
            }
        }
        return nll / tokens;
    }
}
