package dev.tether.pipeline.compile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.pipeline.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The generated files of a set of pipelines, by path under pipeline-defs/: {@code kfp/<name>.yaml},
 * {@code argo/<name>-workflowtemplate.yaml} and {@code argo/<name>-cronworkflow.yaml}. Every file
 * is checked ({@link KfpSpecCheck}, {@link ArgoSpecCheck}) before anything is written, so a
 * compile never leaves a spec the engines would refuse.
 */
public final class PipelineFiles {
    public static final List<String> DIRECTORIES = List.of("kfp", "argo");

    private PipelineFiles() {}

    public static String kfpPath(String pipeline) {
        return "kfp/" + pipeline + ".yaml";
    }

    public static String workflowTemplatePath(String pipeline) {
        return "argo/" + pipeline + "-workflowtemplate.yaml";
    }

    public static String cronWorkflowPath(String pipeline) {
        return "argo/" + pipeline + "-cronworkflow.yaml";
    }

    /** Path → content, in path order; throws when a rendering fails its checks. */
    public static SortedMap<String, String> render(List<Pipeline> pipelines, CompileSettings settings) {
        KfpCompiler kfp = new KfpCompiler(settings);
        ArgoCompiler argo = new ArgoCompiler(settings);
        SortedMap<String, String> files = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Pipeline p : pipelines) {
            String ir = kfp.yaml(p);
            KfpSpecCheck.problems(ir).forEach(x -> problems.add(kfpPath(p.name()) + ": " + x));
            String template = argo.workflowTemplateYaml(p);
            String cron = argo.cronWorkflowYaml(p);
            List<JsonNode> docs = List.of(Yaml.readOne(template), Yaml.readOne(cron));
            ArgoSpecCheck.problems(docs).forEach(x -> problems.add("argo/" + p.name() + ": " + x));
            files.put(kfpPath(p.name()), ir);
            files.put(workflowTemplatePath(p.name()), template);
            files.put(cronWorkflowPath(p.name()), cron);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the compiled specs have " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        }
        return files;
    }

    /**
     * The files under {@code root} that differ from {@code files} or are missing, and generated-looking
     * files ({@code kfp/*.yaml}, {@code argo/*.yaml}) that {@code files} no longer has, in path order.
     */
    public static List<String> stale(Path root, Map<String, String> files) {
        return stale(root, files, true);
    }

    /** As {@link #stale(Path, Map)}, leftovers only when {@code leftovers} (false when compiling some pipelines only). */
    public static List<String> stale(Path root, Map<String, String> files, boolean leftovers) {
        TreeSet<String> out = new TreeSet<>();
        files.forEach((path, content) -> {
            Path file = root.resolve(path);
            try {
                if (!Files.isRegularFile(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
                    out.add(path);
                }
            } catch (IOException e) {
                out.add(path);
            }
        });
        if (leftovers) {
            out.addAll(leftovers(root, files));
        }
        return List.copyOf(out);
    }

    /** Writes the files that changed and removes leftovers; returns the paths it wrote or removed. */
    public static List<String> write(Path root, Map<String, String> files) {
        return write(root, files, true);
    }

    /** As {@link #write(Path, Map)}, removing leftovers only when {@code leftovers}. */
    public static List<String> write(Path root, Map<String, String> files, boolean leftovers) {
        List<String> changed = stale(root, files, leftovers);
        try {
            for (String path : changed) {
                Path file = root.resolve(path);
                if (files.containsKey(path)) {
                    Files.createDirectories(file.getParent());
                    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
                    Files.writeString(tmp, files.get(path), StandardCharsets.UTF_8);
                    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the compiled pipelines under " + root + ": " + e.getMessage(), e);
        }
        return changed;
    }

    private static List<String> leftovers(Path root, Map<String, String> files) {
        List<String> out = new ArrayList<>();
        for (String dir : DIRECTORIES) {
            Path d = root.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> list = Files.list(d)) {
                list.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                        .map(f -> dir + "/" + f.getFileName())
                        .filter(p -> !files.containsKey(p))
                        .forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + d + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
