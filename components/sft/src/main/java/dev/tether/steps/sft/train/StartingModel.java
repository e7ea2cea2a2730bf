package dev.tether.steps.sft.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.config.GenerationConfig;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.step.StepContext;
import dev.tether.steps.sft.data.SpecialTokens;
import dev.tether.steps.sft.data.TokenizerInput;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model a training step starts from: a given policy's (its config.json and
 * generation_config.json kept, so fields tether does not read survive; its value head, critic,
 * optimizer and β state are not carried over, because what is trained here is a new starting
 * point), or a fresh one initialised from a seed.
 */
public record StartingModel(CausalLM model, ObjectNode configJson, Optional<GenerationConfig> generationConfig, boolean fromPolicy)
        implements AutoCloseable {

    /**
     * The step's starting model: {@code init_policy}'s if given (a {@code vocab_size} parameter
     * other than 0 must then match it), else a new one sized by {@link ModelShape}'s parameters, its
     * vocabulary the tokenizer's unless {@code vocab_size} says otherwise.
     */
    public static StartingModel forStep(StepContext ctx, Optional<ArtifactReader> initPolicy, TokenizerInput tokenizer, NDManager nd, long seed) {
        long requested = ctx.integer(ModelShape.VOCAB_SIZE);
        if (initPolicy.isPresent()) {
            StartingModel start = fromPolicy(initPolicy.get().dir(), nd);
            int vocab = start.model().config().vocabSize();
            if (requested != 0 && requested != vocab) {
                start.close();
                throw new IllegalArgumentException(ModelShape.VOCAB_SIZE + ": " + requested + " was given, but init_policy's vocabulary is "
                        + vocab + " (a starting policy keeps its size)");
            }
            return start;
        }
        int vocab = tokenizer.newModelVocabulary(requested, ModelShape.VOCAB_SIZE);
        SpecialTokens special = SpecialTokens.fromParameters(ctx).or(tokenizer.special());
        special.requireWithin(vocab);
        return fresh(ModelShape.config(ctx, vocab, special), nd, seed);
    }

    public static StartingModel fromPolicy(Path dir, NDManager manager) {
        Checkpoint c = PolicyArtifact.readPolicy(dir, manager);
        c.valueHead().ifPresent(v -> v.close());
        c.optimizer().ifPresent(o -> o.close());
        return new StartingModel(c.model(), c.configJson(), c.generationConfig(), true);
    }

    public static StartingModel fresh(ModelConfig config, NDManager manager, long seed) {
        return new StartingModel(CausalLM.initialize(config, manager, seed), config.toJson(), Optional.empty(), false);
    }

    /** The special ids the starting policy declares (none for a fresh model: they come from elsewhere). */
    public SpecialTokens special() {
        return fromPolicy ? SpecialTokens.fromPolicy(model.config(), generationConfig) : SpecialTokens.none();
    }

    @Override
    public void close() {
        model.close();
    }
}
