package dev.tether.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactDigestTest {

  @TempDir Path dir;

  private static String sha256(String s) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void isTheSha256OfSha256sumLinesSortedByPath() throws Exception {
    Files.writeString(dir.resolve("b.txt"), "bee");
    Files.createDirectories(dir.resolve("a"));
    Files.writeString(dir.resolve("a/z.txt"), "zed");
    Files.writeString(dir.resolve("manifest.json"), "{}");
    String lines = sha256("zed") + "  a/z.txt\n" + sha256("bee") + "  b.txt\n";
    assertThat(ArtifactDigest.of(dir)).isEqualTo("sha256:" + sha256(lines));
  }

  @Test
  void ignoresTheManifestButNotAnythingElse() throws IOException {
    Files.writeString(dir.resolve("data.bin"), "x");
    String before = ArtifactDigest.of(dir);
    Files.writeString(dir.resolve("manifest.json"), "{\"producer\":\"another version\"}");
    assertThat(ArtifactDigest.of(dir)).isEqualTo(before);
    Files.writeString(dir.resolve("extra.txt"), "");
    assertThat(ArtifactDigest.of(dir)).isNotEqualTo(before);
  }

  @Test
  void changesWhenOneByteChangesAndIsStableOtherwise() throws IOException {
    byte[] data = new byte[4096];
    Files.write(dir.resolve("data.bin"), data);
    String first = ArtifactDigest.of(dir);
    assertThat(ArtifactDigest.of(dir)).isEqualTo(first);
    assertThat(ArtifactDigest.isDigest(first)).isTrue();
    data[4000] = 1;
    Files.write(dir.resolve("data.bin"), data);
    assertThat(ArtifactDigest.of(dir)).isNotEqualTo(first);
  }

  @Test
  void aRenamedFileChangesTheDigest() throws IOException {
    Files.writeString(dir.resolve("a.txt"), "same");
    String first = ArtifactDigest.of(dir);
    Files.move(dir.resolve("a.txt"), dir.resolve("b.txt"));
    assertThat(ArtifactDigest.of(dir)).isNotEqualTo(first);
  }

  @Test
  void symbolicLinksAreRefused() throws IOException {
    Files.writeString(dir.resolve("real.txt"), "x");
    Files.createSymbolicLink(dir.resolve("link.txt"), dir.resolve("real.txt"));
    assertThatThrownBy(() -> ArtifactDigest.of(dir))
        .isInstanceOf(ArtifactException.class)
        .hasMessage(dir + ": 'link.txt': expected a regular file, found a link or special file");
  }

  @Test
  void recognisesDigests() {
    assertThat(ArtifactDigest.isDigest("sha256:" + "0".repeat(64))).isTrue();
    assertThat(ArtifactDigest.isDigest("0".repeat(64))).isFalse();
    assertThat(ArtifactDigest.isDigest("sha256:" + "A".repeat(64))).isFalse();
    assertThat(ArtifactDigest.isDigest(null)).isFalse();
  }
}
