package dev.tether.core.beta;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The controller's state as JSON, for {@code trainer_state.json}. Jackson writes doubles with
 * their shortest round-tripping representation, so a state read back is bit-identical.
 */
public final class BetaControllerJson {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private BetaControllerJson() {}

    public static JsonNode toJson(BetaController controller) {
        return MAPPER.valueToTree(controller);
    }

    public static String toJsonString(BetaController controller) {
        try {
            return MAPPER.writeValueAsString(controller);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise β controller " + controller, e);
        }
    }

    /** Reads a state written by {@link #toJson}; the error names what is wrong. */
    public static BetaController fromJson(JsonNode node) {
        try {
            return MAPPER.treeToValue(node, BetaController.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("β controller state " + node + ": " + rootMessage(e), e);
        }
    }

    public static BetaController fromJsonString(String json) {
        try {
            return fromJson(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("β controller state is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.toString() : m.lines().findFirst().orElse(m);
    }
}
