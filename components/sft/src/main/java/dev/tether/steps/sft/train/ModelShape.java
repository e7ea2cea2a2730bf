package dev.tether.steps.sft.train;

import static dev.tether.step.ParameterSpec.choice;
import static dev.tether.step.ParameterSpec.optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.models.config.ModelConfig;
import dev.tether.step.ParamType;
import dev.tether.step.ParameterSpec;
import dev.tether.step.StepContext;
import dev.tether.steps.sft.data.SpecialTokens;
import java.util.List;

/**
 * The size of a new model, from step parameters named as in GPT-2's config.json (the same names
 * serve Llama: n_embd → hidden_size, n_inner → intermediate_size, n_positions →
 * max_position_embeddings). The defaults are the demo's base policy (DEMO-RECIPE.md): a pre-LN
 * GPT with d = 64, 2 layers, 4 heads, MLP 256 and 16 learned positions. The config is checked by
 * {@link ModelConfig#parse}, so a bad size is refused with the field's name.
 */
public final class ModelShape {
    public static final String MODEL_TYPE = "model_type";
    public static final String VOCAB_SIZE = "vocab_size";

    private ModelShape() {}

    public static List<ParameterSpec> parameters() {
        return List.of(
                choice(MODEL_TYPE, "gpt2", "Architecture of a new model (ignored with init_policy).", "gpt2", "llama"),
                optional("n_layer", ParamType.INT, "2", "Transformer blocks of a new model."),
                optional("n_embd", ParamType.INT, "64", "Hidden size of a new model."),
                optional("n_head", ParamType.INT, "4", "Attention heads of a new model."),
                optional("n_inner", ParamType.INT, "256", "MLP width of a new model."),
                optional("n_positions", ParamType.INT, "16", "Longest sequence a new model reads (learned positions for gpt2)."),
                optional(VOCAB_SIZE, ParamType.INT, "0", "Vocabulary of a new model; 0: the tokenizer's (largest id + 1)."));
    }

    /** A new model's config.json from the parameters, with the vocabulary and special ids already resolved. */
    public static ModelConfig config(StepContext ctx, int vocabSize, SpecialTokens special) {
        ObjectNode n = ModelConfig.JSON.createObjectNode();
        String type = ctx.string(MODEL_TYPE);
        n.put("model_type", type);
        n.put("vocab_size", vocabSize);
        int layers = positive(ctx, "n_layer");
        int embd = positive(ctx, "n_embd");
        int heads = positive(ctx, "n_head");
        int inner = positive(ctx, "n_inner");
        int positions = positive(ctx, "n_positions");
        if (type.equals("gpt2")) {
            n.put("n_layer", layers);
            n.put("n_embd", embd);
            n.put("n_head", heads);
            n.put("n_inner", inner);
            n.put("n_positions", positions);
            n.put("tie_word_embeddings", true);
        } else {
            n.put("num_hidden_layers", layers);
            n.put("hidden_size", embd);
            n.put("num_attention_heads", heads);
            n.put("intermediate_size", inner);
            n.put("max_position_embeddings", positions);
            n.put("tie_word_embeddings", false);
        }
        special.bos().ifPresent(id -> n.put("bos_token_id", id));
        special.eos().ifPresent(id -> n.put("eos_token_id", id));
        special.pad().ifPresent(id -> n.put("pad_token_id", id));
        return ModelConfig.parse(n, "step parameters (model_type, n_layer, n_embd, n_head, n_inner, n_positions, vocab_size)");
    }

    private static int positive(StepContext ctx, String name) {
        long v = ctx.integer(name);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": expected a whole number ≥ 1, got " + v);
        }
        return (int) v;
    }
}
