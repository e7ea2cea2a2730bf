package dev.tether.steps.rollout;

import static dev.tether.step.ParameterSpec.optional;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.formats.PromptsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.config.GenerationConfig;
import dev.tether.models.generate.Generation;
import dev.tether.models.generate.Generator;
import dev.tether.models.generate.PromptEncoder;
import dev.tether.models.generate.SamplingParams;
import dev.tether.models.generate.TokenScorer;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.ValueHead;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.Progress;
import dev.tether.step.Resources;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Samples responses to one shard of the prompts from the policy (PyTorch engine, KV cache), with
 * the log-prob of each sampled token under the distribution that sampled it and the critic's value
 * of each position. The sampling temperature, EOS and pad ids and the tokenizer's digest travel in
 * the rollout's metadata: the update recomputes log-probs under the same temperature, and the reward
 * step refuses a reward model whose tokenizer differs.
 */
public final class RolloutStep implements Step {

    public static final StepDefinition DEFINITION = StepDefinition.builder("rollout")
            .description("Sample responses for a shard of the prompts from the policy.")
            .input(ArtifactPort.of("policy", Schemas.POLICY, ArtifactKind.MODEL, "The policy checkpoint (and its critic)."))
            .input(ArtifactPort.of("prompts", Schemas.PROMPTS, ArtifactKind.DATASET, "prompts.jsonl: {\"prompt\": text} or {\"prompt_ids\": [...]} per line."))
            .output(ArtifactPort.of("rollout", Schemas.ROLLOUT, ArtifactKind.DATASET, "Queries, responses, log-probs and values."))
            .parameter(optional("seed", ParamType.INT, "0", "Sampling seed (each shard derives its own)."))
            .parameter(optional("iteration", ParamType.INT, "0", "The PPO iteration, mixed into the seed so each iteration samples afresh."))
            .parameter(optional("max_new_tokens", ParamType.INT, "32", "Longest response, in tokens."))
            .parameter(optional("temperature", ParamType.DOUBLE, "1.0", "Logits are divided by this before sampling (TRL's convention)."))
            .parameter(optional("top_k", ParamType.INT, "0", "Keep the k most likely tokens; 0 = all."))
            .parameter(optional("top_p", ParamType.DOUBLE, "1.0", "Nucleus sampling mass; 1 = all."))
            .parameter(optional("samples_per_prompt", ParamType.INT, "1", "Responses per prompt."))
            .parameter(dev.tether.step.Sharding.parameters().get(0))
            .parameter(dev.tether.step.Sharding.parameters().get(1))
            .parameter(optional("batch_size", ParamType.INT, "64", "Prompts sampled together."))
            .outputParameter("num_samples", ParamType.INT, "Responses sampled.")
            .outputParameter("response_length", ParamType.DOUBLE, "Mean response length, in tokens.")
            .stochastic()
            .resources(Resources.cpu("2", "2Gi"))
            .build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        int shards = (int) ctx.integer("num_shards");
        int shard = (int) ctx.integer("shard_index");
        if (shards < 1) {
            throw new IllegalArgumentException("num_shards: expected ≥ 1, got " + shards);
        }
        if (shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard_index: expected 0 ≤ shard_index < num_shards (" + shards + "), got " + shard);
        }
        int perPrompt = positive("samples_per_prompt", ctx.integer("samples_per_prompt"));
        int batchSize = positive("batch_size", ctx.integer("batch_size"));
        Path policyDir = ctx.input("policy").dir();
        Path promptsFile = ctx.input("prompts").file(PromptsFile.FILE_NAME);
        List<PromptsFile.Line> lines = PromptsFile.read(promptsFile, "prompt");

        try (NDManager nd = NDManager.newBaseManager()) {
            Checkpoint policy = PolicyArtifact.readPolicy(policyDir, nd);
            Optional<Checkpoint> critic = PolicyArtifact.readCritic(policyDir, nd);
            CausalLM model = policy.model();
            GenerationConfig gen = policy.generationConfig().orElseGet(() -> GenerationConfig.fromModel(model.config()));
            int eos = gen.eosTokenIds().isEmpty() ? model.config().eosTokenId().orElse(-1) : gen.eosTokenIds().get(0);
            if (eos < 0) {
                throw new ArtifactException(policyDir + ": no eos_token_id in generation_config.json or config.json (the rollout needs one to stop)");
            }
            SamplingParams base = SamplingParams.from(gen, (int) ctx.integer("max_new_tokens"), 0)
                    .withGreedy(false)
                    .withTemperature((float) ctx.number("temperature"))
                    .withTopK((int) ctx.integer("top_k"))
                    .withTopP(ctx.number("top_p"))
                    .withStopTokens(Set.of(eos));

            List<int[]> prompts = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            try (HuggingFaceTokenizer tokenizer = hasTokenizer(policyDir) ? CheckpointReader.openTokenizer(policyDir, model.config()) : null) {
                PromptEncoder encoder = new PromptEncoder(tokenizer, promptsFile, model.config().vocabSize());
                for (int i = 0; i < lines.size(); i++) {
                    if (i % shards != shard) {
                        continue;
                    }
                    int[] ids = encoder.encode(lines.get(i));
                    for (int k = 0; k < perPrompt; k++) {
                        prompts.add(ids);
                        index.add(i);
                        texts.add(lines.get(i).text());
                    }
                }
                if (prompts.isEmpty()) {
                    throw new IllegalArgumentException("shard " + shard + " of " + shards + " holds no prompts (" + lines.size() + " prompts in " + promptsFile + ")");
                }

                List<RolloutBatch> parts = new ArrayList<>();
                Progress progress = ctx.progress("sampling", prompts.size());
                long seed = (ctx.seed() * 1_000_003L + ctx.integer("iteration")) * 1_000_003L + shard;
                for (int from = 0; from < prompts.size(); from += batchSize) {
                    int to = Math.min(prompts.size(), from + batchSize);
                    SamplingParams p = base.withSeed(seed * 31 + from);
                    Generation g = Generator.generate(model, prompts.subList(from, to), p);
                    float[] values = values(nd, critic.orElse(policy), g, base.temperature());
                    int[] idx = index.subList(from, to).stream().mapToInt(Integer::intValue).toArray();
                    parts.add(new RolloutBatch(g.batch(), g.queryLength(), g.responseLength(), g.queryIds(), g.queryMask(),
                            g.responseIds(), g.responseMask(), g.logprobs(), values, idx));
                    progress.advance(to - from, "");
                }
                RolloutBatch rollout = RolloutBatch.concat(parts, base.padTokenId());

                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("temperature", Float.toString(base.temperature()));
                meta.put("eos_token_id", Integer.toString(eos));
                meta.put("pad_token_id", Integer.toString(base.padTokenId()));
                meta.put("tokenizer_sha256", tokenizerDigest(policyDir));
                meta.put("num_shards", Integer.toString(shards));
                meta.put("shard_index", Integer.toString(shard));
                List<String> jsonl = new ArrayList<>();
                for (int b = 0; b < rollout.batch(); b++) {
                    ObjectNode row = JSON.createObjectNode();
                    row.put("prompt_index", rollout.promptIndex()[b]);
                    row.put("prompt", texts.get(b));
                    int[] resp = rollout.response(b);
                    if (tokenizer != null) {
                        row.put("response", tokenizer.decode(toLongs(resp), true));
                    }
                    row.set("response_ids", JSON.valueToTree(resp));
                    jsonl.add(JSON.writeValueAsString(row));
                }
                try (ArtifactWriter w = ctx.writer("rollout")) {
                    w.writeSafetensors(RolloutBatch.FILE_NAME, rollout.toTensors(), meta);
                    w.writeText(RolloutBatch.TEXT_FILE_NAME, String.join("\n", jsonl) + "\n");
                    w.commit();
                }
                double meanLength = 0;
                for (int b = 0; b < rollout.batch(); b++) {
                    meanLength += rollout.responseLength(b);
                }
                ctx.outputParameter("num_samples", rollout.batch());
                ctx.outputParameter("response_length", meanLength / rollout.batch());
            }
        }
    }

    /** V(s_t) of every response position from the critic (the policy's own head when shared); 0 without a head. */
    private static float[] values(NDManager nd, Checkpoint critic, Generation g, float temperature) {
        Optional<ValueHead> head = critic.valueHead();
        if (head.isEmpty()) {
            return new float[g.batch() * g.responseLength()];
        }
        try (NDManager m = nd.newSubManager()) {
            NDArray q = m.create(g.queryIds(), new Shape(g.batch(), g.queryLength()));
            NDArray qm = m.create(g.queryMask(), new Shape(g.batch(), g.queryLength()));
            NDArray r = m.create(g.responseIds(), new Shape(g.batch(), g.responseLength()));
            NDArray rm = m.create(g.responseMask(), new Shape(g.batch(), g.responseLength()));
            return TokenScorer.score(critic.model(), head.get(), q, qm, r, rm, temperature).values().toFloatArray();
        }
    }

    static String tokenizerDigest(Path policyDir) throws Exception {
        Path t = policyDir.resolve(CheckpointReader.TOKENIZER);
        if (!Files.exists(t)) {
            return "none";
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(t)));
    }

    private static boolean hasTokenizer(Path dir) {
        return Files.exists(dir.resolve(CheckpointReader.TOKENIZER));
    }

    private static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static int positive(String name, long v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + ": expected ≥ 1, got " + v);
        }
        return (int) v;
    }
}
