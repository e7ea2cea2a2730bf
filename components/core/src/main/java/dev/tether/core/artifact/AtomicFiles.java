package dev.tether.core.artifact;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Files that appear whole or not at all: written to a hidden temp file in the same directory,
 * flushed to disk, then renamed over the target. A step killed half-way leaves only the temp file,
 * never a truncated output that the next step would read (DESIGN.md, 10).
 */
public final class AtomicFiles {

  /** Writes a file's content to the temp file's channel. */
  @FunctionalInterface
  public interface Body {
    void writeTo(FileChannel channel) throws IOException;
  }

  /** Writes a file's content to a stream. */
  @FunctionalInterface
  public interface StreamBody {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  public static void write(Path target, byte[] content) {
    write(target, channel -> {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        channel.write(b);
      }
    });
  }

  public static void writeStream(Path target, StreamBody body) {
    write(target, channel -> {
      // Not closed here: closing would close the channel before write() forces it to disk.
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      body.writeTo(out);
      out.flush();
    });
  }

  public static void write(Path target, Body body) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp = dir.resolve("." + absolute.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(dir);
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        body.writeTo(channel);
        channel.force(true);
      }
      move(temp, absolute);
      fsyncDirectory(dir);
    } catch (IOException e) {
      throw new ArtifactException(target + ": cannot write: " + e, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  /** Renames atomically, replacing a regular file at the target. */
  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename " + from + " to " + to
          + " atomically", e);
    }
  }

  /** Makes a rename in the directory durable; best effort where directories cannot be opened. */
  public static void fsyncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not every platform can open a directory; the rename itself is still atomic.
    }
  }

  static void fsyncFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        if (exc != null && !(exc instanceof NoSuchFileException)) {
          throw exc;
        }
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Left behind only if the disk is failing; the target is already complete or untouched.
    }
  }
}
