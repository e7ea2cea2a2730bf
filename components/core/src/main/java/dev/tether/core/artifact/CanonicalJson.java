package dev.tether.core.artifact;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * JSON that is byte-for-byte the same for the same content: keys sorted, two-space indent,
 * {@code "key": value}, '\n' line ends whatever the platform, one trailing newline. A rerun with the
 * same inputs must reproduce its artifact exactly (DESIGN.md, 10), and diffs of two runs' manifests
 * should show only what changed.
 *
 * <p>NaN and infinities are refused with the JSON path of the offending value: JSON has no spelling
 * for them, and Jackson's default ("NaN" as a string) would turn a number into text downstream.
 */
public final class CanonicalJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .addModule(new SimpleModule("finite-numbers")
          .addSerializer(Double.class, new FiniteSerializer<>(Double.class))
          .addSerializer(double.class, new FiniteSerializer<>(Double.class))
          .addSerializer(Float.class, new FiniteSerializer<>(Float.class))
          .addSerializer(float.class, new FiniteSerializer<>(Float.class)))
      .build();

  private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
      Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
          .withObjectEmptySeparator("")
          .withArrayEmptySeparator("")
          .withRootSeparator(""))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  private CanonicalJson() {}

  /** The mapper behind this format, for reading JSON written by it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Pretty JSON with a trailing newline, UTF-8. */
  public static byte[] pretty(Object value) {
    return (prettyString(value)).getBytes(StandardCharsets.UTF_8);
  }

  public static String prettyString(Object value) {
    try {
      return MAPPER.writer(PRETTY).writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw failure(e);
    }
  }

  /** One-line JSON, keys sorted, no trailing newline (for JSON Lines and parameter values). */
  public static String compact(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw failure(e);
    }
  }

  private static ArtifactException failure(JsonProcessingException e) {
    if (e.getCause() instanceof ArtifactException a) {
      return a;
    }
    return new ArtifactException("cannot write JSON: " + e.getOriginalMessage(), e);
  }

  private static final class FiniteSerializer<T extends Number> extends StdSerializer<T> {

    FiniteSerializer(Class<T> type) {
      super(type);
    }

    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      double d = value.doubleValue();
      if (!Double.isFinite(d)) {
        throw JsonMappingException.from(gen, "non-finite number",
            new ArtifactException("JSON field " + path(gen.getOutputContext())
                + ": expected a finite number, found " + value));
      }
      if (value instanceof Float f) {
        gen.writeNumber(f);
      } else {
        gen.writeNumber(d);
      }
    }

    private static String path(JsonStreamContext context) {
      Deque<String> parts = new ArrayDeque<>();
      for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inObject()) {
          parts.addFirst(c.getCurrentName() == null ? "?" : c.getCurrentName());
        } else if (c.inArray()) {
          // The innermost array has not counted the element being written yet.
          int index = c == context ? c.getCurrentIndex() + 1 : c.getCurrentIndex();
          parts.addFirst("[" + index + "]");
        }
      }
      return parts.isEmpty() ? "(root)" : String.join(".", parts).replace(".[", "[");
    }
  }
}
