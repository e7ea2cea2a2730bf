package dev.tether.core.artifact;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON header of a safetensors file, validated as strictly as the Rust reference
 * ({@code safetensors::SafeTensors::deserialize}): every tensor well-formed, its byte range inside
 * the data buffer and of the right length, no two ranges overlapping, and every byte of the buffer
 * belonging to some tensor.
 */
final class SafetensorsHeader {

  static final String METADATA_KEY = "__metadata__";
  private static final Set<String> TENSOR_FIELDS = Set.of("dtype", "shape", "data_offsets");

  // Inner objects are read as trees; a repeated "dtype" must not silently win.
  private static final ObjectMapper TREES =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

  record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

  private final Map<String, String> metadata;
  private final Map<String, Entry> entries;

  private SafetensorsHeader(Map<String, String> metadata, Map<String, Entry> entries) {
    this.metadata = metadata;
    this.entries = entries;
  }

  /** Metadata, sorted by key. */
  Map<String, String> metadata() {
    return metadata;
  }

  /** Entries in the order of their bytes in the data buffer. */
  Map<String, Entry> entries() {
    return entries;
  }

  static SafetensorsHeader parse(String file, byte[] header, long dataLength) {
    Failure fail = new Failure(file);
    String text = decodeUtf8(header, fail);
    if (!text.startsWith("{")) {
      throw fail.at("header", "expected a JSON object starting with '{', found "
          + excerpt(text.isEmpty() ? "nothing" : text));
    }
    Map<String, String> metadata = new TreeMap<>();
    List<Entry> entries = new ArrayList<>();
    try (JsonParser p = TREES.createParser(text)) {
      p.nextToken();
      Set<String> seen = new HashSet<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        if (!seen.add(key)) {
          throw fail.at("header", "duplicate entry " + Tensor.quote(key));
        }
        p.nextToken();
        JsonNode value = TREES.readTree(p);
        if (key.equals(METADATA_KEY)) {
          readMetadata(value, metadata, fail);
        } else {
          entries.add(readEntry(key, value, dataLength, fail));
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw fail.at("header", "not a JSON object");
      }
      requireOnlyPadding(p, fail);
    } catch (JsonProcessingException e) {
      throw fail.at("header", "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw fail.at("header", "unreadable: " + e.getMessage());
    }
    return new SafetensorsHeader(metadata, checkCoverage(entries, dataLength, fail));
  }

  private static void requireOnlyPadding(JsonParser p, Failure fail) throws IOException {
    JsonToken next;
    try {
      next = p.nextToken();
    } catch (JsonProcessingException e) {
      next = JsonToken.NOT_AVAILABLE;
    }
    if (next != null) {
      throw fail.at("header", "expected only space padding after the JSON object, found more");
    }
  }

  private static void readMetadata(JsonNode value, Map<String, String> out, Failure fail) {
    if (value.isNull()) {
      return;
    }
    if (!value.isObject()) {
      throw fail.at(METADATA_KEY, "expected an object of strings, found " + describe(value));
    }
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      if (!field.getValue().isTextual()) {
        throw fail.at(METADATA_KEY + " " + Tensor.quote(field.getKey()),
            "expected a string, found " + describe(field.getValue()));
      }
      out.put(field.getKey(), field.getValue().textValue());
    }
  }

  private static Entry readEntry(String name, JsonNode value, long dataLength, Failure fail) {
    String where = "tensor " + Tensor.quote(name);
    if (!value.isObject()) {
      throw fail.at(where, "expected an object with dtype, shape, data_offsets, found "
          + describe(value));
    }
    for (Map.Entry<String, JsonNode> property : value.properties()) {
      String field = property.getKey();
      if (!TENSOR_FIELDS.contains(field)) {
        throw fail.at(where, "unknown field " + Tensor.quote(field)
            + " (expected dtype, shape, data_offsets)");
      }
    }
    DType dtype = readDtype(where, required(value, "dtype", where, fail), fail);
    long[] shape = readLongs(required(value, "shape", where, fail), -1);
    if (shape == null) {
      throw fail.at(where, "shape: expected a list of non-negative integers, found "
          + describe(value.get("shape")));
    }
    long[] offsets = readLongs(required(value, "data_offsets", where, fail), 2);
    if (offsets == null || offsets[0] > offsets[1]) {
      throw fail.at(where, "data_offsets: expected [begin, end] with 0 <= begin <= end, found "
          + describe(value.get("data_offsets")));
    }
    long begin = offsets[0];
    long end = offsets[1];
    if (end > dataLength) {
      throw fail.at(where, "data_offsets [" + begin + ", " + end + "] overrun the data buffer of "
          + dataLength + " bytes");
    }
    long numel;
    try {
      numel = Tensor.numel(name, shape);
    } catch (ArtifactException e) {
      throw fail.at(where, "shape " + Arrays.toString(shape) + " overflows int64");
    }
    long expected = Math.multiplyExact(numel, (long) dtype.byteSize());
    if (end - begin != expected) {
      throw fail.at(where, "byte length: expected " + expected + " (" + dtype + " "
          + Arrays.toString(shape) + " = " + numel + " x " + dtype.byteSize() + " bytes), found "
          + (end - begin) + " (data_offsets [" + begin + ", " + end + "])");
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static JsonNode required(JsonNode object, String field, String where, Failure fail) {
    JsonNode node = object.get(field);
    if (node == null) {
      throw fail.at(where, "missing field " + Tensor.quote(field));
    }
    return node;
  }

  private static DType readDtype(String where, JsonNode node, Failure fail) {
    if (!node.isTextual()) {
      throw fail.at(where, "dtype: expected a string, found " + describe(node));
    }
    return DType.fromHeaderName(node.textValue()).orElseThrow(() -> fail.at(where,
        "dtype: expected one of " + DType.supportedNames() + ", found "
            + Tensor.quote(node.textValue())));
  }

  /** Non-negative int64 values of a JSON list (of the given length, or any if negative), else null. */
  private static long[] readLongs(JsonNode node, int length) {
    if (!node.isArray() || (length >= 0 && node.size() != length)) {
      return null;
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
        return null;
      }
      out[i] = v.longValue();
    }
    return out;
  }

  private static Map<String, Entry> checkCoverage(List<Entry> entries, long dataLength,
      Failure fail) {
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    Map<String, Entry> ordered = new LinkedHashMap<>();
    long cursor = 0;
    Entry previous = null;
    for (Entry e : byOffset) {
      if (e.begin() < cursor) {
        throw fail.at("tensors " + Tensor.quote(previous.name()) + " and "
                + Tensor.quote(e.name()),
            "byte ranges [" + previous.begin() + ", " + previous.end() + ") and [" + e.begin()
                + ", " + e.end() + ") overlap");
      }
      if (e.begin() > cursor) {
        throw fail.at("data buffer", "bytes [" + cursor + ", " + e.begin()
            + ") belong to no tensor (a hole before " + Tensor.quote(e.name()) + ")");
      }
      ordered.put(e.name(), e);
      cursor = e.end();
      previous = e;
    }
    if (cursor != dataLength) {
      throw fail.at("data buffer", "bytes [" + cursor + ", " + dataLength
          + ") at the end belong to no tensor");
    }
    return ordered;
  }

  private static String decodeUtf8(byte[] header, Failure fail) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(header))
          .toString();
    } catch (CharacterCodingException e) {
      throw fail.at("header", "expected UTF-8 JSON, found invalid UTF-8 bytes");
    }
  }

  private static String describe(JsonNode node) {
    String kind = node.getNodeType().name().toLowerCase(Locale.ROOT);
    return kind + " " + excerpt(node.toString());
  }

  private static String excerpt(String s) {
    String one = s.replaceAll("\\s+", " ");
    return one.length() <= 60 ? one : one.substring(0, 57) + "...";
  }

  /** Builds "file: where: what" errors. */
  private record Failure(String file) {
    ArtifactException at(String where, String what) {
      return new ArtifactException(file + ": " + where + ": " + what);
    }
  }
}
