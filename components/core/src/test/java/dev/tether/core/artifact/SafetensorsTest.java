package dev.tether.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir Path dir;

  private static List<Tensor> everyDtype() {
    return List.of(
        Tensor.ofFloats("f32", new long[] {2, 2},
            new float[] {1.5f, -0.0f, Float.MIN_VALUE, Float.intBitsToFloat(0x7FC0_1234)}),
        Tensor.ofFloats("f16", new long[] {3}, new float[] {1f, -2f, 65504f}, DType.F16),
        Tensor.ofBytes("f16_raw", new long[] {2}, new byte[] {0x01, 0x7E, 0x00, (byte) 0x80},
            DType.F16),
        Tensor.ofFloats("bf16", new long[] {3}, new float[] {1f, -2.5f, 1e30f}, DType.BF16),
        Tensor.ofInts("i32", new long[] {3}, new int[] {0, Integer.MIN_VALUE, Integer.MAX_VALUE}),
        Tensor.ofLongs("i64", new long[] {2}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}),
        Tensor.ofBytes("u8", new long[] {1, 3}, new byte[] {0, (byte) 128, (byte) 255}, DType.U8),
        Tensor.ofBools("bool", new long[] {3}, new boolean[] {true, false, true}),
        Tensor.ofFloats("empty", new long[] {0}, new float[0]));
  }

  @Test
  void everyDtypeRoundTripsBitExactly() {
    Path file = dir.resolve("all.safetensors");
    List<Tensor> tensors = everyDtype();
    Safetensors.write(file, tensors, Map.of("format", "pt", "step", "rollout"));
    try (SafetensorsFile st = Safetensors.read(file)) {
      assertThat(st.metadata()).containsExactly(Map.entry("format", "pt"), Map.entry("step", "rollout"));
      for (Tensor t : tensors) {
        assertThat(st.get(t.name())).isEqualTo(t);
        assertThat(st.dtype(t.name())).isEqualTo(t.dtype());
        assertThat(st.shape(t.name())).isEqualTo(t.shape());
      }
      assertThat(st.names()).hasSize(tensors.size());
      assertThat(st.contains("f32")).isTrue();
      assertThat(st.contains("nope")).isFalse();
    }
  }

  @Test
  void tensorsAreMemoryMappedNotCopiedOnLoad() {
    Path file = dir.resolve("big.safetensors");
    float[] values = new float[1 << 20];
    values[values.length - 1] = 42f;
    Safetensors.write(file, List.of(Tensor.ofFloats("w", new long[] {1024, 1024}, values)), null);
    try (SafetensorsFile st = Safetensors.read(file)) {
      Tensor w = st.get("w");
      // A direct buffer here is the file's mapping: the 4 MiB were not read onto the heap.
      assertThat(w.data().isDirect()).isTrue();
      assertThat(w.data().getFloat(4 * (values.length - 1))).isEqualTo(42f);
    }
  }

  @Test
  void namesAndMetadataMayBeAnyUnicode() {
    Path file = dir.resolve("u.safetensors");
    Tensor t = Tensor.ofInts("transformer.h.0.\u00e9/\"quoted\"", new long[] {1}, new int[] {1});
    Safetensors.write(file, List.of(t), Map.of("note", "\u03b2 = 0.1\n"));
    try (SafetensorsFile st = Safetensors.read(file)) {
      assertThat(st.get(t.name())).isEqualTo(t);
      assertThat(st.metadata()).containsEntry("note", "\u03b2 = 0.1\n");
    }
  }

  @Test
  void readTensorsStayValidAfterClose() {
    Path file = dir.resolve("t.safetensors");
    Tensor t = Tensor.ofFloats("x", new long[] {2}, new float[] {3f, 4f});
    Safetensors.write(file, List.of(t), null);
    Tensor read;
    try (SafetensorsFile st = Safetensors.read(file)) {
      read = st.get("x");
    }
    assertThat(read.toFloats()).containsExactly(3f, 4f);
  }

  @Test
  void layoutIsLargestElementFirstThenByNameWithAPaddedHeader() throws IOException {
    Path file = dir.resolve("layout.safetensors");
    Safetensors.write(file, List.of(
        Tensor.ofBools("b", new long[] {3}, new boolean[3]),
        Tensor.ofFloats("z", new long[] {1}, new float[1]),
        Tensor.ofLongs("y", new long[] {1}, new long[1]),
        Tensor.ofFloats("a", new long[] {1}, new float[1])), Map.of());
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength % 8).isZero();
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    String json = "{\"y\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
        + "\"z\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]},"
        + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[16,19]}}";
    // Space padding to the next multiple of 8, as the Rust writer does.
    assertThat(header).isEqualTo(json + " ".repeat((8 - json.length() % 8) % 8));
    assertThat(bytes).hasSize((int) (8 + headerLength + 19));
    try (SafetensorsFile st = Safetensors.read(file)) {
      assertThat(st.names()).containsExactly("y", "a", "z", "b");
    }
  }

  @Test
  void metadataComesFirstInTheHeader() throws IOException {
    Path file = dir.resolve("meta.safetensors");
    Safetensors.write(file, List.of(Tensor.ofInts("x", new long[] {1}, new int[] {7})),
        Map.of("b", "2", "a", "1"));
    String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    assertThat(content).contains("{\"__metadata__\":{\"a\":\"1\",\"b\":\"2\"},\"x\":");
  }

  @Test
  void theSameTensorsGiveTheSameBytesInAnyOrder() throws IOException {
    List<Tensor> tensors = everyDtype();
    Safetensors.write(dir.resolve("one.safetensors"), tensors, Map.of("k", "v"));
    List<Tensor> reversed = new ArrayList<>(tensors);
    Collections.reverse(reversed);
    Safetensors.write(dir.resolve("two.safetensors"), reversed, Map.of("k", "v"));
    assertThat(Files.readAllBytes(dir.resolve("two.safetensors")))
        .isEqualTo(Files.readAllBytes(dir.resolve("one.safetensors")));
  }

  @Test
  void aFileWrittenByHandInTheSpecsFormatIsRead() throws IOException {
    // The format, byte by byte: u64 little-endian header length, JSON header, raw LE data.
    String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"__metadata__\":{\"note\":\"by hand\"}}";
    byte[] json = header.getBytes(StandardCharsets.US_ASCII);
    byte[] file = new byte[8 + json.length + 8];
    file[0] = (byte) json.length; // length < 256: only the low byte is set
    System.arraycopy(json, 0, file, 8, json.length);
    int at = 8 + json.length;
    // 1.0f = 0x3F800000 and -2.0f = 0xC0000000, least significant byte first.
    byte[] data = {0x00, 0x00, (byte) 0x80, 0x3F, 0x00, 0x00, 0x00, (byte) 0xC0};
    System.arraycopy(data, 0, file, at, 8);
    Path path = RawSafetensors.writeBytes(dir, "hand.safetensors", file);
    try (SafetensorsFile st = Safetensors.read(path)) {
      assertThat(st.names()).containsExactly("w");
      assertThat(st.metadata()).containsEntry("note", "by hand");
      assertThat(st.get("w").toFloats()).containsExactly(1.0f, -2.0f);
    }
  }

  @Test
  void writingReplacesAnExistingFileAndLeavesNoTempFiles() throws IOException {
    Path file = dir.resolve("x.safetensors");
    Safetensors.write(file, List.of(Tensor.ofInts("a", new long[] {1}, new int[] {1})), null);
    Safetensors.write(file, List.of(Tensor.ofInts("b", new long[] {1}, new int[] {2})), null);
    try (SafetensorsFile st = Safetensors.read(file)) {
      assertThat(st.names()).containsExactly("b");
    }
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void duplicateOrReservedNamesAreNotWritten() {
    Path file = dir.resolve("dup.safetensors");
    Tensor a = Tensor.ofInts("a", new long[] {1}, new int[] {1});
    assertThatThrownBy(
            () -> Safetensors.write(file, List.of(a, a), null))
        .hasMessage(file + ": duplicate tensor 'a'");
    assertThatThrownBy(() -> Safetensors.write(file,
            List.of(Tensor.ofInts("__metadata__", new long[] {1}, new int[] {1})), null))
        .hasMessageContaining("reserved");
    assertThat(file).doesNotExist();
  }

  @Test
  void aMissingTensorIsNamedAlongWithWhatIsThere() {
    Path file = dir.resolve("few.safetensors");
    Safetensors.write(file, List.of(Tensor.ofInts("scores", new long[] {1}, new int[] {1}),
        Tensor.ofInts("query_ids", new long[] {1}, new int[] {1})), null);
    try (SafetensorsFile st = Safetensors.read(file)) {
      assertThatThrownBy(() -> st.get("logprobs"))
          .isInstanceOf(ArtifactException.class)
          .hasMessage(file + ": no tensor 'logprobs'; found 'query_ids', 'scores'");
    }
  }
}
