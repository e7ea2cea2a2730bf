package dev.tether.core.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors files byte by byte, to test the reader against files no writer would make. */
final class RawSafetensors {

  private RawSafetensors() {}

  static byte[] bytes(String headerJson, byte[] data) {
    byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + header.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(header.length)
        .put(header)
        .put(data)
        .array();
  }

  static Path write(Path dir, String fileName, String headerJson, byte[] data) {
    return writeBytes(dir, fileName, bytes(headerJson, data));
  }

  static Path writeBytes(Path dir, String fileName, byte[] content) {
    try {
      return Files.write(dir.resolve(fileName), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
