package dev.tether.steps.rollout;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.Sharding;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the rollout shards of a fan-out into one rollout, in shard order, re-padded to the longest
 * query and response. Shards must agree on how they were sampled (temperature, EOS, pad, tokenizer):
 * a merge of differently sampled shards would make every later log-prob comparison wrong.
 */
public final class MergeRolloutStep implements Step {
    /** The input: the rollout shards of a fan-out, one artifact per subdirectory (see {@link Sharding#open}). */
    public static final String ROLLOUTS = "rollouts";
    private static final List<String> SAME = List.of("temperature", "eos_token_id", "pad_token_id", "tokenizer_sha256");

    public static final StepDefinition DEFINITION = StepDefinition.builder("merge-rollout")
            .description("Merge rollout shards into one rollout (in shard order).")
            .input(ArtifactPort.of(ROLLOUTS, Schemas.ROLLOUT, ArtifactKind.DATASET, "The rollout shards of a fan-out.").asShards())
            .output(ArtifactPort.of("rollout", Schemas.ROLLOUT, ArtifactKind.DATASET, "All shards' samples."))
            .outputParameter("num_samples", ParamType.INT, "Samples in the merged rollout.")
            .build();

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) throws IOException {
        List<ArtifactReader> shards = ctx.shards(ROLLOUTS);
        List<RolloutBatch> parts = new ArrayList<>();
        Map<String, String> meta = null;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < shards.size(); i++) {
            try (SafetensorsFile f = shards.get(i).safetensors(RolloutBatch.FILE_NAME)) {
                parts.add(RolloutBatch.read(f));
                if (meta == null) {
                    meta = new LinkedHashMap<>(f.metadata());
                } else {
                    for (String key : SAME) {
                        if (!String.valueOf(meta.get(key)).equals(String.valueOf(f.metadata().get(key)))) {
                            throw new ArtifactException("rollout shard " + i + " (" + shards.get(i).dir() + "): " + key + " is "
                                    + f.metadata().get(key) + " but shard 0 has " + meta.get(key) + "; shards must be sampled alike");
                        }
                    }
                }
            }
            text.append(Files.readString(shards.get(i).file(RolloutBatch.TEXT_FILE_NAME), StandardCharsets.UTF_8));
        }
        meta.put("num_shards", "1");
        meta.put("shard_index", "0");
        meta.put("merged_shards", Integer.toString(shards.size()));
        RolloutBatch merged = RolloutBatch.concat(parts, Integer.parseInt(meta.getOrDefault("pad_token_id", "0")));
        try (ArtifactWriter w = ctx.writer("rollout")) {
            w.writeSafetensors(RolloutBatch.FILE_NAME, merged.toTensors(), meta);
            w.writeText(RolloutBatch.TEXT_FILE_NAME, text.toString());
            w.commit();
        }
        ctx.outputParameter("num_samples", merged.batch());
    }
}
