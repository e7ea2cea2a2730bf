package dev.tether.steps.ppo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.beta.BetaController;
import dev.tether.core.beta.BetaControllerJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the update carries from iteration to iteration in {@code trainer_state.json}'s β entry:
 * the β controller's state, the recent KLs (in the target's unit) that the jump guard compares
 * against, and the log of every iteration (β, KL in both units, score) that the evaluation charts.
 * All of it lives in the checkpoint, so a resumed run has the same β and the same history.
 */
record KlHistory(BetaController controller, List<Double> recentKl, ArrayNode log) {
    static final int KEEP = 16;

    JsonNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("controller", BetaControllerJson.toJson(controller));
        ArrayNode kl = n.putArray("recent_kl");
        recentKl.forEach(kl::add);
        n.set("log", log.deepCopy());
        return n;
    }

    static KlHistory fromJson(JsonNode n, String source) {
        if (n == null || !n.has("controller")) {
            throw new IllegalArgumentException(source + ": trainer_state.json beta has no controller (expected {\"controller\": …, \"recent_kl\": […]})");
        }
        List<Double> kl = new ArrayList<>();
        n.path("recent_kl").forEach(v -> kl.add(v.asDouble()));
        ArrayNode log = n.path("log").isArray() ? (ArrayNode) n.get("log").deepCopy() : JsonNodeFactory.instance.arrayNode();
        return new KlHistory(BetaControllerJson.fromJson(n.get("controller")), kl, log);
    }

    static KlHistory start(BetaController controller) {
        return new KlHistory(controller, List.of(), JsonNodeFactory.instance.arrayNode());
    }

    /** After an update: the new controller, this iteration's KL (target unit) and its log entry. */
    KlHistory next(BetaController controller, double kl, ObjectNode logEntry) {
        List<Double> k = new ArrayList<>(recentKl);
        k.add(kl);
        while (k.size() > KEEP) {
            k.remove(0);
        }
        ArrayNode l = log.deepCopy();
        l.add(logEntry);
        return new KlHistory(controller, List.copyOf(k), l);
    }

    /** Median of the recent KLs, NaN without history. */
    double median() {
        if (recentKl.isEmpty()) {
            return Double.NaN;
        }
        double[] v = recentKl.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public String toString() {
        return controller + " " + Arrays.toString(recentKl.toArray());
    }
}
