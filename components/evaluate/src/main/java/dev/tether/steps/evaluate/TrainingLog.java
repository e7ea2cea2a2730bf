package dev.tether.steps.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.models.checkpoint.CheckpointReader;
import dev.tether.models.checkpoint.TrainerState;
import dev.tether.steps.evaluate.artifact.KlTargetJson;
import dev.tether.steps.evaluate.artifact.TrainingLogEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the policy checkpoint says about its own training: how many PPO iterations it has behind it,
 * ppo-update's per-iteration log (β, KL, score) from trainer_state.json, and the adaptive β
 * controller's KL target. A base model (no trainer state) is iteration 0 with an empty log.
 */
record TrainingLog(long iteration, List<TrainingLogEntry> entries, Optional<KlTargetJson> target) {

    static TrainingLog read(Path policyDir) {
        Optional<TrainerState> state = CheckpointReader.readTrainerState(policyDir);
        if (state.isEmpty()) {
            return new TrainingLog(0, List.of(), Optional.empty());
        }
        JsonNode beta = state.get().beta();
        String where = policyDir.resolve(CheckpointReader.TRAINER_STATE) + ": beta.log";
        List<TrainingLogEntry> entries = new ArrayList<>();
        JsonNode log = beta == null ? null : beta.get("log");
        if (log != null && log.isArray()) {
            for (int i = 0; i < log.size(); i++) {
                JsonNode e = log.get(i);
                entries.add(new TrainingLogEntry(integer(e, "iteration", where, i), number(e, "beta", where, i),
                        number(e, "beta_next", where, i), number(e, "kl_seq", where, i), number(e, "kl_token", where, i),
                        number(e, "score", where, i)));
            }
        }
        Optional<KlTargetJson> target = Optional.empty();
        JsonNode t = beta == null ? null : beta.path("controller").get("target");
        if (t != null && t.isObject()) {
            target = Optional.of(new KlTargetJson(t.path("value").asDouble(), t.path("unit").asText()));
        }
        return new TrainingLog(state.get().iteration(), List.copyOf(entries), target);
    }

    private static double number(JsonNode e, String field, String where, int i) {
        JsonNode v = e.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new ArtifactException(where + "[" + i + "]." + field + ": expected a finite number, found " + v);
        }
        return v.doubleValue();
    }

    private static long integer(JsonNode e, String field, String where, int i) {
        JsonNode v = e.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new ArtifactException(where + "[" + i + "]." + field + ": expected an integer, found " + v);
        }
        return v.longValue();
    }
}
