package dev.tether.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Llama's {@code rope_scaling}: none, "linear" (positions divided by {@code factor}) or "llama3"
 * (Llama 3.1's wavelength-dependent scaling). The frequency maths lives in {@link
 * dev.tether.models.nn.Llama#inverseFrequencies}.
 */
public record RopeScaling(
    Type type,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositionEmbeddings) {

  public enum Type {
    NONE,
    LINEAR,
    LLAMA3
  }

  public static RopeScaling none() {
    return new RopeScaling(Type.NONE, 1.0, 0, 0, 0);
  }

  public static RopeScaling linear(double factor) {
    return new RopeScaling(Type.LINEAR, factor, 0, 0, 0);
  }

  public static RopeScaling llama3(
      double factor, double lowFreqFactor, double highFreqFactor, int originalMax) {
    return new RopeScaling(Type.LLAMA3, factor, lowFreqFactor, highFreqFactor, originalMax);
  }

  /** Parses the {@code rope_scaling} object (or transformers 5's {@code rope_parameters}). */
  static RopeScaling parse(JsonNode node, JsonFields parent, String field) {
    if (node == null || node.isNull()) {
      return none();
    }
    if (!node.isObject()) {
      throw parent.error(field, "expected an object or null, found " + node);
    }
    JsonFields f = new JsonFields(node, parent.source() + " (" + field + ")");
    // transformers < 4.43 wrote "type", later versions "rope_type".
    String type = f.optString("rope_type", f.optString("type", "default"));
    switch (type) {
      case "default":
        return none();
      case "linear": {
        double factor = f.optDouble("factor", Double.NaN);
        if (Double.isNaN(factor)) {
          throw f.error("factor", "missing (linear rope scaling needs a factor)");
        }
        f.requirePositive("factor", factor);
        return linear(factor);
      }
      case "llama3": {
        double factor = f.optDouble("factor", Double.NaN);
        double low = f.optDouble("low_freq_factor", Double.NaN);
        double high = f.optDouble("high_freq_factor", Double.NaN);
        for (String name : new String[] {"factor", "low_freq_factor", "high_freq_factor"}) {
          if (!f.has(name)) {
            throw f.error(name, "missing (llama3 rope scaling needs it)");
          }
        }
        int original = f.requireInt("original_max_position_embeddings");
        f.requirePositive("factor", factor);
        f.requirePositive("low_freq_factor", low);
        f.requirePositive("original_max_position_embeddings", original);
        if (!(high > low)) {
          throw f.error("high_freq_factor", "(" + high + ") must exceed low_freq_factor (" + low + ")");
        }
        return llama3(factor, low, high, original);
      }
      default:
        throw f.error(
            "rope_type", "is \"" + type + "\"; supported: default, linear, llama3 (as \"type\" or"
                + " \"rope_type\")");
    }
  }

  /** The {@code rope_scaling} value for config.json: null, or an object. */
  JsonNode toJson() {
    if (type == Type.NONE) {
      return ModelConfig.JSON.nullNode();
    }
    ObjectNode n = ModelConfig.JSON.createObjectNode();
    n.put("rope_type", type == Type.LINEAR ? "linear" : "llama3");
    n.put("type", type == Type.LINEAR ? "linear" : "llama3");
    n.put("factor", factor);
    if (type == Type.LLAMA3) {
      n.put("low_freq_factor", lowFreqFactor);
      n.put("high_freq_factor", highFreqFactor);
      n.put("original_max_position_embeddings", originalMaxPositionEmbeddings);
    }
    return n;
  }
}
