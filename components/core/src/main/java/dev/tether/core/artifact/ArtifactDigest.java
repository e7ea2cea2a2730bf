package dev.tether.core.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The identity of an artifact's content, recorded by each step that consumes it, so a step can
 * refuse inputs that come from different runs.
 *
 * <p>Definition: for every regular file except the top-level {@code manifest.json}, the line
 * {@code "<sha256 hex>  <relative path>\n"} (the format of {@code sha256sum}), lines sorted by path
 * in byte order; the digest is {@code "sha256:"} + the hex sha256 of those lines. In a shell:
 * <pre>
 * cd artifact &amp;&amp; find . -type f ! -path ./manifest.json -printf '%P\0' | LC_ALL=C sort -z \
 *   | xargs -0 sha256sum | sha256sum
 * </pre>
 * The manifest is left out because it holds the producer's version and the inputs' digests: the
 * same bytes made by a newer tether are the same data.
 */
public final class ArtifactDigest {

  public static final String PREFIX = "sha256:";

  private ArtifactDigest() {}

  /** Hashes every file under {@code dir} (except manifest.json). */
  public static String of(Path dir) {
    SortedMap<String, String> hashes = new TreeMap<>(ArtifactDigest::compareBytes);
    files(dir).forEach((relative, file) -> hashes.put(relative, sha256(file).sha256()));
    return ofFileHashes(hashes);
  }

  /** True for {@code "sha256:"} followed by 64 lowercase hex digits. */
  public static boolean isDigest(String value) {
    return value != null && value.matches("sha256:[0-9a-f]{64}");
  }

  /** The digest from already-known file hashes (relative path → hex sha256). */
  static String ofFileHashes(Map<String, String> hashes) {
    SortedMap<String, String> sorted = new TreeMap<>(ArtifactDigest::compareBytes);
    sorted.putAll(hashes);
    MessageDigest md = newSha256();
    sorted.forEach((path, hex) ->
        md.update((hex + "  " + path + "\n").getBytes(StandardCharsets.UTF_8)));
    return PREFIX + HexFormat.of().formatHex(md.digest());
  }

  /**
   * Regular files under {@code dir} by '/'-separated relative path, manifest.json excluded. Links
   * and special files are refused: an artifact is plain data, and a link could point anywhere.
   */
  static SortedMap<String, Path> files(Path dir) {
    SortedMap<String, Path> out = new TreeMap<>(ArtifactDigest::compareBytes);
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        BasicFileAttributes attrs =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isDirectory()) {
          continue;
        }
        String relative = relative(dir, p);
        if (!attrs.isRegularFile()) {
          throw new ArtifactException(dir + ": " + Tensor.quote(relative)
              + ": expected a regular file, found a link or special file");
        }
        if (relative.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
          throw new ArtifactException(dir + ": " + Tensor.quote(relative)
              + ": file names must not contain control characters");
        }
        if (!relative.equals(Manifest.FILE_NAME)) {
          out.put(relative, p);
        }
      }
    } catch (IOException e) {
      throw new ArtifactException(dir + ": cannot list files: " + e, e);
    }
    return out;
  }

  static Manifest.FileEntry sha256(Path file) {
    MessageDigest md = newSha256();
    long bytes = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
      int n;
      while ((n = channel.read(buffer)) >= 0) {
        bytes += n;
        md.update(buffer.flip());
        buffer.clear();
      }
    } catch (IOException e) {
      throw new ArtifactException(file + ": cannot read: " + e, e);
    }
    return new Manifest.FileEntry(HexFormat.of().formatHex(md.digest()), bytes);
  }

  static String relative(Path dir, Path file) {
    return dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  private static int compareBytes(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
