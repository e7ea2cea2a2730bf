package dev.tether.core.artifact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
 * little-endian header length N, N bytes of UTF-8 JSON, then the raw little-endian tensor bytes.
 * A data scientist opens any tether artifact with {@code safetensors.numpy.load_file}.
 *
 * <p>The writer follows the Rust writer's layout: tensors ordered by element size, largest first,
 * then by name, so every tensor starts aligned to its element size (the header is space-padded to a
 * multiple of 8); the header lists {@code __metadata__} first, then the tensors in data order. The
 * same tensors and metadata therefore always give the same bytes.
 */
public final class Safetensors {

  /** The Rust reader's limit: a larger header means a corrupt or hostile file. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final JsonFactory JSON = new JsonFactory();

  private Safetensors() {}

  public static SafetensorsFile read(Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new ArtifactException(file + ": no such file");
    } catch (IOException e) {
      throw new ArtifactException(file + ": cannot open: " + e, e);
    }
    try {
      long size = channel.size();
      if (size < 8) {
        throw new ArtifactException(file + ": header length: expected an 8-byte prefix, found a "
            + size + "-byte file");
      }
      long headerLength = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (Long.compareUnsigned(headerLength, MAX_HEADER_BYTES) > 0) {
        throw new ArtifactException(file + ": header length: expected at most "
            + MAX_HEADER_BYTES + " bytes, found " + Long.toUnsignedString(headerLength));
      }
      if (headerLength > size - 8) {
        throw new ArtifactException(file + ": header length: " + headerLength
            + " bytes overrun the file (" + (size - 8) + " bytes after the prefix)");
      }
      byte[] headerBytes = readFully(channel, 8, (int) headerLength).array();
      long dataStart = 8 + headerLength;
      SafetensorsHeader header =
          SafetensorsHeader.parse(file.toString(), headerBytes, size - dataStart);
      return new SafetensorsFile(file, channel, dataStart, header);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ArtifactException(file + ": cannot read: " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /**
   * Writes atomically (temp file in the same directory, then rename).
   *
   * @param metadata string pairs for {@code __metadata__}; null or empty writes none
   */
  public static void write(Path file, Collection<Tensor> tensors, Map<String, String> metadata) {
    List<Tensor> ordered = dataOrder(file, tensors);
    byte[] header = header(ordered, metadata == null ? Map.of() : metadata);
    AtomicFiles.write(file, channel -> {
      ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      prefix.putLong(header.length).flip();
      writeFully(channel, prefix);
      writeFully(channel, ByteBuffer.wrap(header));
      for (Tensor t : ordered) {
        writeFully(channel, t.data());
      }
    });
  }

  private static List<Tensor> dataOrder(Path file, Collection<Tensor> tensors) {
    Set<String> names = new HashSet<>();
    for (Tensor t : tensors) {
      if (t.name().equals(SafetensorsHeader.METADATA_KEY)) {
        throw new ArtifactException(file + ": tensor " + Tensor.quote(t.name())
            + ": the name is reserved for metadata");
      }
      if (!names.add(t.name())) {
        throw new ArtifactException(file + ": duplicate tensor " + Tensor.quote(t.name()));
      }
    }
    List<Tensor> ordered = new ArrayList<>(tensors);
    ordered.sort(Comparator.comparingInt((Tensor t) -> -t.dtype().byteSize())
        .thenComparing(Tensor::name));
    return ordered;
  }

  private static byte[] header(List<Tensor> ordered, Map<String, String> metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      if (!metadata.isEmpty()) {
        g.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      long offset = 0;
      for (Tensor t : ordered) {
        long end = offset + t.data().remaining();
        g.writeObjectFieldStart(t.name());
        g.writeStringField("dtype", t.dtype().headerName());
        g.writeFieldName("shape");
        long[] shape = t.shape();
        g.writeArray(shape, 0, shape.length);
        g.writeFieldName("data_offsets");
        g.writeArray(new long[] {offset, end}, 0, 2);
        g.writeEndObject();
        offset = end;
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int padding = (8 - out.size() % 8) % 8;
    for (int i = 0; i < padding; i++) {
      out.write(' ');
    }
    return out.toByteArray();
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new IOException("file shrank while reading");
      }
    }
    return buffer.flip();
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // The open failed already; that error is the one to report.
    }
  }
}
