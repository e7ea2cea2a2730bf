package dev.tether.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A PrintStream onto picocli's PrintWriter, for code that writes to streams (steps, the local
 * runner): what they print goes wherever the command line's out and err go, tests included.
 */
final class WriterStream extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private WriterStream(PrintWriter writer) {
        this.writer = writer;
    }

    /** Autoflushing, so each line (and each progress redraw, which flushes) shows at once. */
    static PrintStream of(PrintWriter writer) {
        return new PrintStream(new WriterStream(writer), true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        pending.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        pending.write(b, off, len);
    }

    // PrintStream encodes whole strings before it flushes, so a flush never splits a character.
    @Override
    public void flush() {
        writer.write(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
        writer.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
