package dev.tether.core.outputs;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Argo Workflows output parameters: Argo reads each from a file named in the template
 * ({@code outputs.parameters[].valueFrom.path}) and takes the file's whole content as the value,
 * so the file holds the value alone, with no trailing newline. With {@code globalName} the operator
 * then reads {@code kl}, {@code reward}, {@code beta} from the Workflow's status (DESIGN.md, 5).
 *
 * <p>Every value is formatted before any file is written, so a NaN in one parameter leaves none
 * written; each file is replaced atomically, so Argo never reads half a value.
 */
public final class ArgoOutputs {

  // Argo's rule for parameter names; also keeps the name a safe file name.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  private ArgoOutputs() {}

  /** Writes {@code dir/<name>} for each parameter; see {@link ParameterText} for the format. */
  public static void writeParameters(Path dir, Map<String, ?> values) {
    Map<String, String> texts = new TreeMap<>();
    values.forEach((name, value) -> {
      if (!NAME.matcher(name).matches()) {
        throw new ArtifactException("output parameter '" + name
            + "': expected a name of letters, digits, '_' or '-'");
      }
      texts.put(name, ParameterText.format(name, value));
    });
    texts.forEach((name, text) ->
        AtomicFiles.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8)));
  }
}
