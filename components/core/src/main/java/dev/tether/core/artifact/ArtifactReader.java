package dev.tether.core.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Opens an artifact directory and checks it is what the consuming step expects, where it enters
 * (DESIGN.md, 10): the manifest parses, the schema is the expected one at a version this code
 * understands, and the files are exactly those listed, with the listed sizes and (by default)
 * sha256. Every error names the directory and what differed.
 */
public final class ArtifactReader {

  private final Path dir;
  private final Manifest manifest;
  private final String digest;

  private ArtifactReader(Path dir, Manifest manifest, String digest) {
    this.dir = dir;
    this.manifest = manifest;
    this.digest = digest;
  }

  /** Opens and fully verifies (sizes and sha256 of every file). */
  public static ArtifactReader open(Path dir, String expectedSchema, int supportedVersion) {
    return open(dir, expectedSchema, supportedVersion, true);
  }

  /**
   * @param verifyHashes false skips hashing (sizes and the file list are still checked); the
   *     digest is then the one the manifest's hashes imply
   */
  public static ArtifactReader open(Path dir, String expectedSchema, int supportedVersion,
      boolean verifyHashes) {
    Manifest manifest = readManifest(dir, expectedSchema, supportedVersion);
    verifyFiles(dir, manifest, verifyHashes);
    Map<String, String> hashes = new HashMap<>();
    manifest.files().forEach((name, entry) -> hashes.put(name, entry.sha256()));
    return new ArtifactReader(dir, manifest, ArtifactDigest.ofFileHashes(hashes));
  }

  public Path dir() {
    return dir;
  }

  public Manifest manifest() {
    return manifest;
  }

  public Map<String, String> inputs() {
    return manifest.inputs();
  }

  /** The digest this artifact was made from for {@code name}. */
  public String input(String name) {
    String d = manifest.inputs().get(name);
    if (d == null) {
      throw new ArtifactException(dir + ": manifest.json: inputs: no " + Tensor.quote(name)
          + "; found " + manifest.inputs().keySet());
    }
    return d;
  }

  /** This artifact's digest, to record as an input of what is made from it. */
  public String digest() {
    return digest;
  }

  /** A file listed in the manifest. */
  public Path file(String name) {
    if (!manifest.files().containsKey(name)) {
      throw new ArtifactException(dir + ": no file " + Tensor.quote(name)
          + " in the artifact; found " + manifest.files().keySet());
    }
    return dir.resolve(name);
  }

  /** Opens a listed safetensors file; the caller closes it. */
  public SafetensorsFile safetensors(String name) {
    return Safetensors.read(file(name));
  }

  /**
   * Both artifacts were made from the same {@code inputName} artifact (for example scores and
   * reference log-probs from the same rollout).
   */
  public static void requireSameInput(ArtifactReader a, ArtifactReader b, String inputName) {
    String fromA = a.input(inputName);
    String fromB = b.input(inputName);
    if (!fromA.equals(fromB)) {
      throw new ArtifactException("artifacts from different runs: " + a.dir + " was made from "
          + inputName + " " + fromA + " but " + b.dir + " from " + fromB);
    }
  }

  /**
   * {@code consumer} was made from exactly {@code input} (for example scores from this rollout):
   * its recorded digest for {@code inputName} equals the input's digest.
   */
  public static void requireMadeFrom(ArtifactReader consumer, String inputName,
      ArtifactReader input) {
    String recorded = consumer.input(inputName);
    if (!recorded.equals(input.digest)) {
      throw new ArtifactException("artifacts from different runs: " + consumer.dir
          + " was made from " + inputName + " " + recorded + " but " + input.dir + " has digest "
          + input.digest);
    }
  }

  private static Manifest readManifest(Path dir, String expectedSchema, int supportedVersion) {
    Path file = dir.resolve(Manifest.FILE_NAME);
    String where = dir + ": " + Manifest.FILE_NAME;
    JsonNode tree;
    try {
      tree = CanonicalJson.mapper().readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new ArtifactException(where + ": missing"
          + (Files.isDirectory(dir) ? "" : " (no directory " + dir + ")"));
    } catch (JsonProcessingException e) {
      throw new ArtifactException(where + ": not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ArtifactException(where + ": cannot read: " + e, e);
    }
    if (tree == null || !tree.isObject()) {
      throw new ArtifactException(where + ": expected a JSON object");
    }
    JsonNode schema = tree.get("schema");
    if (schema == null || !schema.isTextual()) {
      throw new ArtifactException(where + ": schema: expected " + Tensor.quote(expectedSchema)
          + ", found " + schema);
    }
    if (!schema.textValue().equals(expectedSchema)) {
      throw new ArtifactException(where + ": schema: expected " + Tensor.quote(expectedSchema)
          + ", found " + Tensor.quote(schema.textValue()));
    }
    JsonNode version = tree.get("schemaVersion");
    if (version == null || !version.canConvertToInt() || !version.isIntegralNumber()) {
      throw new ArtifactException(where + ": schemaVersion: expected an integer, found "
          + version);
    }
    if (version.intValue() > supportedVersion) {
      throw new ArtifactException(where + ": schemaVersion: " + expectedSchema + " version "
          + version.intValue() + " is newer than this step supports (" + supportedVersion
          + "); upgrade tether");
    }
    try {
      return CanonicalJson.mapper().treeToValue(tree, Manifest.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ArtifactException(where + ": unknown field " + Tensor.quote(e.getPropertyName())
          + " at " + e.getPathReference());
    } catch (JsonProcessingException e) {
      // Manifest's own checks arrive wrapped by Jackson; their message is the useful one.
      Throwable root = rootCause(e);
      throw new ArtifactException(where + ": "
          + (root instanceof ArtifactException ? root.getMessage() : e.getOriginalMessage()));
    }
  }

  private static void verifyFiles(Path dir, Manifest manifest, boolean verifyHashes) {
    SortedMap<String, Path> present = ArtifactDigest.files(dir);
    TreeSet<String> unlisted = new TreeSet<>(present.keySet());
    unlisted.removeAll(manifest.files().keySet());
    if (!unlisted.isEmpty()) {
      throw new ArtifactException(dir + ": file " + Tensor.quote(unlisted.first())
          + " is not listed in manifest.json (files were added after commit)");
    }
    manifest.files().forEach((name, expected) -> {
      Path file = present.get(name);
      if (file == null) {
        throw new ArtifactException(dir + ": file " + Tensor.quote(name)
            + " listed in manifest.json is missing");
      }
      long size;
      try {
        size = Files.size(file);
      } catch (IOException e) {
        throw new ArtifactException(file + ": cannot read: " + e, e);
      }
      if (size != expected.bytes()) {
        throw new ArtifactException(dir + ": file " + Tensor.quote(name) + ": bytes: expected "
            + expected.bytes() + ", found " + size);
      }
      if (verifyHashes) {
        String actual = ArtifactDigest.sha256(file).sha256();
        if (!actual.equals(expected.sha256())) {
          throw new ArtifactException(dir + ": file " + Tensor.quote(name) + ": sha256: expected "
              + expected.sha256() + ", found " + actual);
        }
      }
    });
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
