package dev.tether.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per way a safetensors file can be broken; each error names file, place and values. */
class SafetensorsMalformedTest {

  @TempDir Path dir;

  private Path file;

  private AbstractThrowableAssert<?, ? extends Throwable> reading(String header, int dataBytes) {
    file = RawSafetensors.write(dir, "bad.safetensors", header, new byte[dataBytes]);
    return readingFile();
  }

  private AbstractThrowableAssert<?, ? extends Throwable> readingFile() {
    return assertThatThrownBy(() -> Safetensors.read(file).close())
        .isInstanceOf(ArtifactException.class)
        .hasMessageStartingWith(file + ": ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private static String tensor(String name, String dtype, String shape, String offsets) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
        + ",\"data_offsets\":" + offsets + "}";
  }

  @Test
  void fileShorterThanTheLengthPrefix() {
    file = RawSafetensors.writeBytes(dir, "short.safetensors", new byte[] {1, 2, 3});
    readingFile().hasMessageEndingWith(
        "header length: expected an 8-byte prefix, found a 3-byte file");
  }

  @Test
  void absurdHeaderLength() {
    byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(200_000_000L).array();
    file = RawSafetensors.writeBytes(dir, "huge.safetensors", bytes);
    readingFile().hasMessageEndingWith(
        "header length: expected at most 100000000 bytes, found 200000000");
  }

  @Test
  void headerLengthWithTheTopBitSetIsNotNegative() {
    byte[] bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array();
    file = RawSafetensors.writeBytes(dir, "neg.safetensors", bytes);
    readingFile().hasMessageContaining("found 18446744073709551615");
  }

  @Test
  void headerLengthLargerThanTheFile() {
    byte[] bytes = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(500).array();
    file = RawSafetensors.writeBytes(dir, "over.safetensors", bytes);
    readingFile().hasMessageEndingWith(
        "header length: 500 bytes overrun the file (12 bytes after the prefix)");
  }

  @Test
  void headerThatIsNotJson() {
    reading("{\"x\": nope}", 0).hasMessageContaining("header: not valid JSON");
  }

  @Test
  void headerThatIsNotAnObject() {
    reading("[1, 2]", 0).hasMessageContaining(
        "header: expected a JSON object starting with '{', found [1, 2]");
  }

  @Test
  void headerThatIsNotUtf8() {
    byte[] bytes = RawSafetensors.bytes("{\"x\":1}", new byte[0]);
    bytes[10] = (byte) 0xFF;
    file = RawSafetensors.writeBytes(dir, "latin.safetensors", bytes);
    readingFile().hasMessageEndingWith("header: expected UTF-8 JSON, found invalid UTF-8 bytes");
  }

  @Test
  void trailingBytesAfterTheHeaderObject() {
    reading("{} {}", 0).hasMessageContaining("expected only space padding after the JSON object");
    reading("{}   x", 0).hasMessageContaining("expected only space padding");
  }

  @Test
  void unknownDtype() {
    reading("{" + tensor("weights", "F64", "[1]", "[0,8]") + "}", 8)
        .hasMessageEndingWith("tensor 'weights': dtype: expected one of "
            + "F32, F16, BF16, I32, I64, U8, BOOL, found 'F64'");
  }

  @Test
  void dtypeThatIsNotAString() {
    reading("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4)
        .hasMessageEndingWith("tensor 'w': dtype: expected a string, found number 4");
  }

  @Test
  void shapeWithANegativeDimension() {
    reading("{" + tensor("ids", "I32", "[2,-1]", "[0,8]") + "}", 8)
        .hasMessageEndingWith(
            "tensor 'ids': shape: expected a list of non-negative integers, found array [2,-1]");
  }

  @Test
  void shapeWithAFractionOrAString() {
    reading("{" + tensor("ids", "I32", "[2.0]", "[0,8]") + "}", 8)
        .hasMessageContaining("tensor 'ids': shape: expected a list of non-negative integers");
    reading("{" + tensor("ids", "I32", "\"2\"", "[0,8]") + "}", 8)
        .hasMessageContaining("found string \"2\"");
  }

  @Test
  void shapeWhoseElementCountOverflows() {
    reading("{" + tensor("big", "U8", "[4294967296,4294967296]", "[0,0]") + "}", 0)
        .hasMessageContaining("tensor 'big': shape [4294967296, 4294967296] overflows int64");
  }

  @Test
  void dataOffsetsEndingBeforeTheyBegin() {
    reading("{" + tensor("x", "U8", "[0]", "[4,0]") + "}", 4)
        .hasMessageEndingWith("tensor 'x': data_offsets: expected [begin, end] with "
            + "0 <= begin <= end, found array [4,0]");
  }

  @Test
  void dataOffsetsOfTheWrongLength() {
    reading("{" + tensor("x", "U8", "[4]", "[0,4,8]") + "}", 4)
        .hasMessageContaining("tensor 'x': data_offsets: expected [begin, end]");
  }

  @Test
  void dataOffsetsOverrunningTheBuffer() {
    reading("{" + tensor("logprobs", "F32", "[4]", "[0,16]") + "}", 12)
        .hasMessageEndingWith(
            "tensor 'logprobs': data_offsets [0, 16] overrun the data buffer of 12 bytes");
  }

  @Test
  void byteLengthThatDisagreesWithShapeAndDtype() {
    reading("{" + tensor("values", "F32", "[2,3]", "[0,20]") + "}", 20)
        .hasMessageEndingWith("tensor 'values': byte length: expected 24 (F32 [2, 3] = 6 x 4 "
            + "bytes), found 20 (data_offsets [0, 20])");
  }

  @Test
  void overlappingTensors() {
    reading("{" + tensor("a", "U8", "[8]", "[0,8]") + "," + tensor("b", "U8", "[8]", "[4,12]")
        + "}", 12)
        .hasMessageEndingWith("tensors 'a' and 'b': byte ranges [0, 8) and [4, 12) overlap");
  }

  @Test
  void aHoleBetweenTensors() {
    reading("{" + tensor("a", "U8", "[4]", "[0,4]") + "," + tensor("b", "U8", "[4]", "[8,12]")
        + "}", 12)
        .hasMessageEndingWith("data buffer: bytes [4, 8) belong to no tensor (a hole before 'b')");
  }

  @Test
  void bytesAfterTheLastTensor() {
    reading("{" + tensor("a", "U8", "[4]", "[0,4]") + "}", 6)
        .hasMessageEndingWith("data buffer: bytes [4, 6) at the end belong to no tensor");
  }

  @Test
  void dataWithNoTensorsAtAll() {
    reading("{}", 3).hasMessageEndingWith("data buffer: bytes [0, 3) at the end belong to no tensor");
  }

  @Test
  void metadataValueThatIsNotAString() {
    reading("{\"__metadata__\":{\"format\":\"pt\",\"step\":3}}", 0)
        .hasMessageEndingWith("__metadata__ 'step': expected a string, found number 3");
  }

  @Test
  void metadataThatIsNotAnObject() {
    reading("{\"__metadata__\":[\"pt\"]}", 0)
        .hasMessageEndingWith("__metadata__: expected an object of strings, found array [\"pt\"]");
  }

  @Test
  void duplicateTensorNames() {
    reading("{" + tensor("a", "U8", "[1]", "[0,1]") + "," + tensor("a", "U8", "[1]", "[1,2]")
        + "}", 2)
        .hasMessageEndingWith("header: duplicate entry 'a'");
  }

  @Test
  void duplicateFieldInsideATensor() {
    reading("{\"a\":{\"dtype\":\"U8\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,1]}}",
        1).hasMessageContaining("not valid JSON").hasMessageContaining("dtype");
  }

  @Test
  void tensorEntryThatIsNotAnObject() {
    reading("{\"a\":[1,2]}", 0)
        .hasMessageEndingWith(
            "tensor 'a': expected an object with dtype, shape, data_offsets, found array [1,2]");
  }

  @Test
  void tensorEntryMissingAField() {
    reading("{\"a\":{\"dtype\":\"U8\",\"shape\":[1]}}", 1)
        .hasMessageEndingWith("tensor 'a': missing field 'data_offsets'");
  }

  @Test
  void tensorEntryWithAnUnknownField() {
    reading("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"stride\":[1]}}", 1)
        .hasMessageEndingWith(
            "tensor 'a': unknown field 'stride' (expected dtype, shape, data_offsets)");
  }

  @Test
  void aTensorNameWithANewlineKeepsTheMessageOnOneLine() {
    reading("{" + tensor("a\\nb", "F64", "[1]", "[0,8]") + "}", 8)
        .hasMessageContaining("tensor 'a\\u000ab'");
  }

  @Test
  void emptyTensorsMayShareAnOffset() {
    file = RawSafetensors.write(dir, "ok.safetensors", "{" + tensor("e1", "F32", "[0]", "[4,4]")
        + "," + tensor("a", "F32", "[1]", "[0,4]") + "," + tensor("e2", "I64", "[0,3]", "[4,4]")
        + "}", new byte[4]);
    try (SafetensorsFile st = Safetensors.read(file)) {
      assertThat(st.names()).containsExactly("a", "e1", "e2");
      assertThat(st.get("e2").toLongs()).isEmpty();
    }
  }

  @Test
  void headerPaddedWithSpacesIsAccepted() {
    String padded = "{" + tensor("a", "U8", "[2]", "[0,2]") + "}   \n\t ";
    file = RawSafetensors.write(dir, "pad.safetensors", padded, new byte[] {7, 9});
    try (SafetensorsFile st = Safetensors.read(file)) {
      assertThat(st.get("a").toInts()).containsExactly(7, 9);
    }
  }
}
