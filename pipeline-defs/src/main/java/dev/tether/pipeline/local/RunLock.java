package dev.tether.pipeline.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One runner per run folder: two runs of the same run id would clear each other's task folders.
 * An OS file lock, so a killed runner never leaves the folder locked.
 */
final class RunLock implements AutoCloseable {
    private static final String FILE = ".lock";
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static RunLock acquire(RunLayout layout) {
        Path file = layout.runDir().resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(layout.runDir());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw busy(layout);
            }
            return new RunLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            close(channel);
            throw busy(layout);
        } catch (IOException e) {
            close(channel);
            throw new IllegalStateException(file + ": cannot lock the run folder: " + e, e);
        } catch (IllegalArgumentException e) {
            close(channel);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases it too.
        }
        close(channel);
    }

    private static IllegalArgumentException busy(RunLayout layout) {
        return new IllegalArgumentException("--run-id: " + layout.runDir() + " is in use by another tether run; wait for it or choose another --run-id");
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing was written through it.
            }
        }
    }
}
