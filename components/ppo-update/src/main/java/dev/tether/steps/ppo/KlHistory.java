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
 * the β controller's state and the recent KLs (in the target's unit) that the jump guard compares
 * against. Both live in the checkpoint, so a resumed run has the same β and the same history.
 */
record KlHistory(BetaController controller, List<Double> recentKl) {
    static final int KEEP = 16;

    JsonNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("controller", BetaControllerJson.toJson(controller));
        ArrayNode kl = n.putArray("recent_kl");
        recentKl.forEach(kl::add);
        return n;
    }

    static KlHistory fromJson(JsonNode n, String source) {
        if (n == null || !n.has("controller")) {
            throw new IllegalArgumentException(source + ": trainer_state.json beta has no controller (expected {\"controller\": …, \"recent_kl\": […]})");
        }
        List<Double> kl = new ArrayList<>();
        n.path("recent_kl").forEach(v -> kl.add(v.asDouble()));
        return new KlHistory(BetaControllerJson.fromJson(n.get("controller")), kl);
    }

    KlHistory next(BetaController controller, double kl) {
        List<Double> k = new ArrayList<>(recentKl);
        k.add(kl);
        while (k.size() > KEEP) {
            k.remove(0);
        }
        return new KlHistory(controller, List.copyOf(k));
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
