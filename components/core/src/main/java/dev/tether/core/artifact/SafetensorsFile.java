package dev.tether.core.artifact;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An open, validated safetensors file. The header is parsed and checked on open; tensor bytes are
 * memory-mapped on {@link #get}, one mapping per tensor, so nothing is copied until a caller asks
 * for a Java array.
 *
 * <p>Tensors returned by {@link #get} stay readable after {@link #close()}: a mapping outlives its
 * channel and is released when the tensor is garbage-collected.
 */
public final class SafetensorsFile implements AutoCloseable {

  private static final int LISTED_NAMES = 20;

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final SafetensorsHeader header;

  SafetensorsFile(Path path, FileChannel channel, long dataStart, SafetensorsHeader header) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.header = header;
  }

  public Path path() {
    return path;
  }

  /** The {@code __metadata__} section, sorted by key; empty if the file has none. */
  public Map<String, String> metadata() {
    return header.metadata();
  }

  /** Tensor names in the order their bytes appear in the file (data_offsets ascending). */
  public List<String> names() {
    return List.copyOf(header.entries().keySet());
  }

  public boolean contains(String name) {
    return header.entries().containsKey(name);
  }

  public DType dtype(String name) {
    return entry(name).dtype();
  }

  public long[] shape(String name) {
    return entry(name).shape().clone();
  }

  public Tensor get(String name) {
    SafetensorsHeader.Entry e = entry(name);
    long length = e.end() - e.begin();
    if (length > Integer.MAX_VALUE) {
      throw new ArtifactException(path + ": tensor " + Tensor.quote(name) + ": " + length
          + " bytes; tensors over 2 GiB are not supported");
    }
    try {
      MappedByteBuffer mapped =
          channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), length);
      return new Tensor(name, e.dtype(), e.shape(), mapped);
    } catch (IOException ex) {
      throw new ArtifactException(path + ": tensor " + Tensor.quote(name)
          + ": cannot map its bytes: " + ex);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new ArtifactException(path + ": cannot close: " + e.getMessage(), e);
    }
  }

  private SafetensorsHeader.Entry entry(String name) {
    SafetensorsHeader.Entry e = header.entries().get(name);
    if (e == null) {
      throw new ArtifactException(path + ": no tensor " + Tensor.quote(name) + "; found "
          + listNames());
    }
    return e;
  }

  private String listNames() {
    List<String> names = names();
    if (names.isEmpty()) {
      return "no tensors";
    }
    String shown = names.stream().limit(LISTED_NAMES).map(Tensor::quote)
        .collect(Collectors.joining(", "));
    return names.size() <= LISTED_NAMES ? shown
        : shown + " and " + (names.size() - LISTED_NAMES) + " more";
  }
}
