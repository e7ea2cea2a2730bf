package dev.tether.core.outputs;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.CanonicalJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * An output parameter's value as the text a workflow engine reads from a file: strings as they
 * are, booleans as {@code true}/{@code false}, integers in decimal, lists and maps as compact JSON.
 *
 * <p>Floating-point numbers are written in the shortest form that parses back to the same value,
 * never in the JVM's locale, in plain notation where that is short ({@code 0.0001}, not
 * {@code 1.0E-4}) so that Argo's expressions, Go's ParseFloat, Python's float and a human all read
 * them the same. NaN and infinities are refused: a diverged run must fail, not publish "NaN".
 */
public final class ParameterText {

  private ParameterText() {}

  public static String format(String name, Object value) {
    if (value == null) {
      throw new ArtifactException("output parameter '" + name + "': expected a value, found null");
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Double d) {
      return decimal(name, d, Double.toString(d));
    }
    if (value instanceof Float f) {
      return decimal(name, f, Float.toString(f));
    }
    if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
      try {
        return CanonicalJson.compact(value);
      } catch (ArtifactException e) {
        throw new ArtifactException("output parameter '" + name + "': " + e.getMessage(), e);
      }
    }
    throw new ArtifactException("output parameter '" + name
        + "': expected a string, number, boolean, list or map, found "
        + value.getClass().getName());
  }

  /**
   * @param javaText {@code Double.toString} or {@code Float.toString} of the value: already a
   *     decimal that reads back to the same value, in the value's own precision
   */
  private static String decimal(String name, double value, String javaText) {
    requireFinite(name, value);
    double magnitude = Math.abs(value);
    if (magnitude == 0 || magnitude < 1e-7 || magnitude >= 1e21) {
      return javaText;
    }
    String plain = new BigDecimal(javaText).stripTrailingZeros().toPlainString();
    return plain.contains(".") ? plain : plain + ".0";
  }

  static void requireFinite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new ArtifactException("output parameter '" + name + "': expected a finite number, found "
          + value);
    }
  }
}
