package dev.tether.pipeline.local;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.pipeline.Pipeline;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParameterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pipeline's parameters and input artifacts for one run, checked before any task starts: known
 * names, values of the declared type, required ones given, input directories that hold an
 * artifact of the declared schema.
 *
 * @param parameters every pipeline parameter → its value as text (given, or the default)
 * @param inputs each given input artifact → its absolute directory
 */
record RunArguments(Map<String, String> parameters, Map<String, Path> inputs) {

    static RunArguments resolve(Pipeline pipeline, Map<String, String> given, Map<String, Path> inputDirs) {
        for (String name : given.keySet()) {
            if (pipeline.parameter(name).isEmpty()) {
                throw new IllegalArgumentException("--set " + name + ": pipeline " + pipeline.name() + " has no such parameter; its parameters: "
                        + pipeline.parameters().stream().map(ParameterSpec::name).toList());
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (ParameterSpec p : pipeline.parameters()) {
            String text = given.get(p.name());
            if (text == null) {
                if (p.isRequired()) {
                    throw new IllegalArgumentException("--set " + p.name() + "=VALUE is required by pipeline " + pipeline.name() + " ("
                            + p.type() + "): " + p.description());
                }
                text = p.defaultValue();
            }
            try {
                p.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--set " + e.getMessage(), e);
            }
            values.put(p.name(), text);
        }

        for (String name : inputDirs.keySet()) {
            if (pipeline.input(name).isEmpty()) {
                throw new IllegalArgumentException("--input " + name + ": pipeline " + pipeline.name() + " has no such input; its inputs: "
                        + pipeline.inputs().stream().map(ArtifactPort::name).toList());
            }
        }
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (ArtifactPort port : pipeline.inputs()) {
            Path dir = inputDirs.get(port.name());
            if (dir == null) {
                if (!port.optional()) {
                    throw new IllegalArgumentException("--input " + port.name() + "=DIR is required by pipeline " + pipeline.name() + " (a "
                            + port.schema() + " artifact): " + port.description());
                }
                continue;
            }
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--input " + port.name() + ": " + dir + " is not a directory (expected a " + port.schema()
                        + " artifact)");
            }
            try {
                // The schema and file list only; content hashes are checked by the steps that read it.
                ArtifactReader.open(dir, port.schema(), port.schemaVersion(), false);
            } catch (ArtifactException e) {
                throw new IllegalArgumentException("--input " + port.name() + ": " + e.getMessage(), e);
            }
            dirs.put(port.name(), dir.toAbsolutePath().normalize());
        }
        return new RunArguments(Collections.unmodifiableMap(values), Collections.unmodifiableMap(dirs));
    }
}
