package dev.tether.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.ArtifactException;
import java.util.OptionalInt;

/**
 * Typed reads of a Hugging Face JSON file's fields whose errors name the file and the field, so a
 * step's one-line failure says exactly what to fix (DESIGN.md, 10).
 */
final class JsonFields {

  private final JsonNode root;
  private final String source;

  JsonFields(JsonNode root, String source) {
    this.root = root;
    this.source = source;
  }

  String source() {
    return source;
  }

  JsonNode root() {
    return root;
  }

  boolean has(String field) {
    JsonNode n = root.get(field);
    return n != null && !n.isNull();
  }

  int requireInt(String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      throw error(field, "missing (an integer is required)");
    }
    return asInt(field, n);
  }

  int optInt(String field, int fallback) {
    return has(field) ? asInt(field, root.get(field)) : fallback;
  }

  OptionalInt optInt(String field) {
    return has(field) ? OptionalInt.of(asInt(field, root.get(field))) : OptionalInt.empty();
  }

  double optDouble(String field, double fallback) {
    if (!has(field)) {
      return fallback;
    }
    JsonNode n = root.get(field);
    if (!n.isNumber()) {
      throw error(field, "expected a number, found " + n);
    }
    return n.asDouble();
  }

  boolean optBoolean(String field, boolean fallback) {
    if (!has(field)) {
      return fallback;
    }
    JsonNode n = root.get(field);
    if (!n.isBoolean()) {
      throw error(field, "expected true or false, found " + n);
    }
    return n.asBoolean();
  }

  String optString(String field, String fallback) {
    if (!has(field)) {
      return fallback;
    }
    JsonNode n = root.get(field);
    if (!n.isTextual()) {
      throw error(field, "expected a string, found " + n);
    }
    return n.asText();
  }

  /** A token id that may be written as one integer or a list (the first is taken), like HF. */
  OptionalInt optTokenId(String field) {
    if (!has(field)) {
      return OptionalInt.empty();
    }
    JsonNode n = root.get(field);
    if (n.isArray()) {
      return n.isEmpty() ? OptionalInt.empty() : OptionalInt.of(asInt(field, n.get(0)));
    }
    return OptionalInt.of(asInt(field, n));
  }

  void requirePositive(String field, long value) {
    if (value <= 0) {
      throw error(field, "must be positive, found " + value);
    }
  }

  void requirePositive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw error(field, "must be a positive finite number, found " + value);
    }
  }

  ArtifactException error(String field, String what) {
    return new ArtifactException(source + ": field \"" + field + "\" " + what);
  }

  private int asInt(String field, JsonNode n) {
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw error(field, "expected an integer, found " + n);
    }
    return n.asInt();
  }
}
