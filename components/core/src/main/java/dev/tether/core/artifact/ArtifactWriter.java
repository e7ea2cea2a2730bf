package dev.tether.core.artifact;

import dev.tether.core.TetherVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds one artifact directory so that it appears at its target whole or not at all.
 *
 * <p>Files go to a hidden directory next to the target (same parent, so the final rename is
 * atomic). {@link #commit()} hashes them into {@code manifest.json}, flushes everything to disk and
 * renames the directory to the target. Closing without committing deletes the temp directory, so
 * a step that throws inside {@code try (ArtifactWriter w = ...)} leaves nothing behind:
 * <pre>
 * try (ArtifactWriter w = ArtifactWriter.create(out, "tether.scores", 1, "reward")) {
 *   w.input("rollout", rollout.digest()).seed(seed);
 *   w.writeSafetensors("scores.safetensors", List.of(scores));
 *   w.commit();
 * }
 * </pre>
 * A process killed before commit leaves its temp directory; {@link #create} removes those of dead
 * processes for the same target, so a retried step cleans up after the killed attempt.
 */
public final class ArtifactWriter implements AutoCloseable {

  private static final String TEMP_MARK = ".tether-tmp-";
  private static final String OLD_MARK = ".tether-old-";
  private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

  private final Path target;
  private final Path temp;
  private final String schema;
  private final int schemaVersion;
  private final String step;
  private final Map<String, String> inputs = new TreeMap<>();
  private final Map<String, Object> parameters = new TreeMap<>();
  private Long seed;
  private String producerVersion = defaultVersion();
  private boolean finished;

  private ArtifactWriter(Path target, Path temp, String schema, int schemaVersion, String step) {
    this.target = target;
    this.temp = temp;
    this.schema = schema;
    this.schemaVersion = schemaVersion;
    this.step = step;
  }

  public static ArtifactWriter create(Path target, String schema, int schemaVersion, String step) {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent == null) {
      throw new ArtifactException(target + ": an artifact needs a parent directory");
    }
    Path temp = parent.resolve(hiddenName(absolute, TEMP_MARK));
    try {
      Files.createDirectories(parent);
      cleanupStale(absolute);
      Files.createDirectory(temp);
    } catch (IOException e) {
      throw new ArtifactException(target + ": cannot create a temp directory in " + parent + ": "
          + e, e);
    }
    OPEN.add(temp);
    return new ArtifactWriter(absolute, temp, schema, schemaVersion, step);
  }

  /**
   * Deletes temp and set-aside directories that earlier writers of {@code target} left behind:
   * those of processes no longer alive, and this process's own that no open writer holds.
   *
   * @return how many were deleted
   */
  public static int cleanupStale(Path target) {
    Path absolute = target.toAbsolutePath().normalize();
    String tempPrefix = prefix(absolute, TEMP_MARK);
    String oldPrefix = prefix(absolute, OLD_MARK);
    int deleted = 0;
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(absolute.getParent())) {
      for (Path p : siblings) {
        String name = p.getFileName().toString();
        String suffix = name.startsWith(tempPrefix) ? name.substring(tempPrefix.length())
            : name.startsWith(oldPrefix) ? name.substring(oldPrefix.length()) : null;
        if (suffix != null && isStale(p, suffix)) {
          AtomicFiles.deleteRecursively(p);
          deleted++;
        }
      }
    } catch (IOException e) {
      throw new ArtifactException(target + ": cannot clean up stale temp directories: " + e, e);
    }
    return deleted;
  }

  /** The temp directory; files written here become the artifact's files on commit. */
  public Path dir() {
    requireOpen();
    return temp;
  }

  public Path target() {
    return target;
  }

  public Path writeSafetensors(String fileName, Collection<Tensor> tensors) {
    return writeSafetensors(fileName, tensors, Map.of());
  }

  public Path writeSafetensors(String fileName, Collection<Tensor> tensors,
      Map<String, String> metadata) {
    Path file = resolve(fileName);
    Safetensors.write(file, tensors, metadata);
    return file;
  }

  /** JSON with sorted keys, two-space indent and a trailing newline (see {@link CanonicalJson}). */
  public Path writeJson(String fileName, Object value) {
    Path file = resolve(fileName);
    AtomicFiles.write(file, CanonicalJson.pretty(value));
    return file;
  }

  /** JSON Lines: one compact JSON value a line, keys sorted. */
  public Path writeJsonLines(String fileName, Iterable<?> rows) {
    Path file = resolve(fileName);
    AtomicFiles.writeStream(file, out -> {
      for (Object row : rows) {
        out.write(CanonicalJson.compact(row).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
    });
    return file;
  }

  public Path writeText(String fileName, String text) {
    Path file = resolve(fileName);
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /** Records the digest of an input artifact this one was made from. */
  public ArtifactWriter input(String name, String digest) {
    if (!ArtifactDigest.isDigest(digest)) {
      throw new ArtifactException(target + ": input " + Tensor.quote(name)
          + ": expected a digest sha256:<64 hex digits>, found " + digest);
    }
    inputs.put(name, digest);
    return this;
  }

  public ArtifactWriter inputs(Map<String, String> digests) {
    digests.forEach(this::input);
    return this;
  }

  /** A string, finite number or boolean the artifact depends on. */
  public ArtifactWriter parameter(String name, Object value) {
    Manifest.checkParameter(name, value);
    parameters.put(name, value);
    return this;
  }

  public ArtifactWriter parameters(Map<String, ?> values) {
    values.forEach(this::parameter);
    return this;
  }

  public ArtifactWriter seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Overrides the producer version (by default the jar's Implementation-Version). */
  public ArtifactWriter producerVersion(String version) {
    this.producerVersion = version;
    return this;
  }

  /**
   * Writes manifest.json, flushes every file and directory to disk, then renames the temp
   * directory to the target. An existing target is replaced: moved aside, then deleted once the
   * new one is in place.
   *
   * @return the target directory
   */
  public Path commit() {
    requireOpen();
    Manifest manifest = manifest();
    try {
      AtomicFiles.write(temp.resolve(Manifest.FILE_NAME), CanonicalJson.pretty(manifest));
      fsyncTree();
      replaceTarget();
    } catch (IOException e) {
      throw new ArtifactException(target + ": cannot commit: " + e, e);
    }
    finished = true;
    OPEN.remove(temp);
    return target;
  }

  /** Deletes the temp directory unless {@link #commit()} succeeded. */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    finished = true;
    OPEN.remove(temp);
    try {
      AtomicFiles.deleteRecursively(temp);
    } catch (IOException e) {
      throw new ArtifactException(temp + ": cannot delete the uncommitted artifact: " + e, e);
    }
  }

  private Manifest manifest() {
    if (Files.exists(temp.resolve(Manifest.FILE_NAME))) {
      throw new ArtifactException(target + ": manifest.json is written by commit(), found one "
          + "written by the step");
    }
    Map<String, Manifest.FileEntry> files = new TreeMap<>();
    Map<String, Map<String, Manifest.TensorEntry>> tensors = new TreeMap<>();
    ArtifactDigest.files(temp).forEach((relative, file) -> {
      files.put(relative, ArtifactDigest.sha256(file));
      if (relative.endsWith(".safetensors")) {
        tensors.put(relative, tensorEntries(file));
      }
    });
    return new Manifest(schema, schemaVersion, new Manifest.Producer(step, producerVersion),
        inputs, parameters, seed, files, tensors);
  }

  private static Map<String, Manifest.TensorEntry> tensorEntries(Path file) {
    Map<String, Manifest.TensorEntry> out = new TreeMap<>();
    try (SafetensorsFile st = Safetensors.read(file)) {
      for (String name : st.names()) {
        out.put(name, Manifest.TensorEntry.of(st.dtype(name), st.shape(name)));
      }
    }
    return out;
  }

  private void fsyncTree() throws IOException {
    try (var walk = Files.walk(temp)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          AtomicFiles.fsyncFile(p);
        } else if (Files.isDirectory(p)) {
          AtomicFiles.fsyncDirectory(p);
        }
      }
    }
  }

  private void replaceTarget() throws IOException {
    Path parent = target.getParent();
    Path aside = null;
    if (Files.exists(target)) {
      aside = parent.resolve(hiddenName(target, OLD_MARK));
      Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (aside != null) {
        Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    }
    AtomicFiles.fsyncDirectory(parent);
    if (aside != null) {
      AtomicFiles.deleteRecursively(aside);
    }
  }

  private Path resolve(String fileName) {
    requireOpen();
    Path relative = Path.of(fileName).normalize();
    if (fileName.isEmpty() || relative.isAbsolute() || relative.startsWith("..")) {
      throw new ArtifactException(target + ": file " + Tensor.quote(fileName)
          + ": expected a path inside the artifact");
    }
    if (relative.toString().equals(Manifest.FILE_NAME)) {
      throw new ArtifactException(target + ": file 'manifest.json' is written by commit()");
    }
    Path file = temp.resolve(relative);
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new ArtifactException(file + ": cannot create its directory: " + e, e);
    }
    return file;
  }

  private void requireOpen() {
    if (finished) {
      throw new ArtifactException(target + ": the writer is already committed or closed");
    }
  }

  // ".<target>.tether-tmp-<pid>-<uuid>": hidden, so no tool mistakes it for an artifact, and
  // carrying the pid so cleanup can tell a dead writer's leftovers from a live writer's work.
  private static String hiddenName(Path target, String mark) {
    return prefix(target, mark) + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
  }

  private static String prefix(Path target, String mark) {
    return "." + target.getFileName() + mark;
  }

  /** @param suffix the "<pid>-<uuid>" part of a temp or set-aside directory's name */
  private static boolean isStale(Path p, String suffix) {
    long pid;
    try {
      pid = Long.parseLong(suffix.substring(0, suffix.indexOf('-')));
    } catch (RuntimeException e) {
      return false;
    }
    if (pid == ProcessHandle.current().pid()) {
      // In a container, a killed step's pid is often ours again: ours only if a writer holds it.
      return !OPEN.contains(p);
    }
    return ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true);
  }

  private static String defaultVersion() {
    return TetherVersion.get();
  }
}
