package dev.tether.core.artifact;

/**
 * A broken artifact contract: a malformed safetensors file or manifest, a missing or altered file,
 * artifacts from mismatched runs, an output a workflow engine could not read.
 *
 * <p>The message is one line naming the file, field or tensor, what was expected and what was found,
 * because a step prints it as its single line on stderr before exiting non-zero (DESIGN.md, 10).
 */
public class ArtifactException extends RuntimeException {

  public ArtifactException(String message) {
    super(oneLine(message));
  }

  public ArtifactException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  // Messages quote names and parser errors that may carry newlines; stderr must stay one line.
  private static String oneLine(String message) {
    return message.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
