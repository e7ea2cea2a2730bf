package dev.tether.cli;

import dev.tether.pipeline.Pipeline;
import dev.tether.pipeline.PipelineCatalog;
import dev.tether.pipeline.compile.CompileSettings;
import dev.tether.pipeline.compile.PipelineFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tether compile}: every registered pipeline as KFP v2 IR ({@code kfp/<name>.yaml}) and as an
 * Argo WorkflowTemplate with an example CronWorkflow ({@code argo/}), under pipeline-defs/. The
 * files are committed; {@code --check} says whether they are current, as the build's test does.
 */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compiles every pipeline to Kubeflow Pipelines v2 IR and Argo Workflows YAML (run from the repository root).",
            "Writes <out>/kfp/<pipeline>.yaml, <out>/argo/<pipeline>-workflowtemplate.yaml and <out>/argo/<pipeline>-cronworkflow.yaml;"
                    + " compiling every pipeline also removes the YAML left there for pipelines that no longer exist."},
        footer = {"", "Exit codes: 0 done (or current, with --check), 1 stale (with --check), 2 bad usage."})
final class CompileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "pipeline-defs",
            description = "Where kfp/ and argo/ are (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--check", description = "Write nothing; exit 1 if any file differs from a fresh compile.")
    boolean check;

    @Option(names = "--registry", paramLabel = "HOST/PATH", defaultValue = CompileSettings.DEFAULT_REGISTRY,
            description = "Where the step images are (default: ${DEFAULT-VALUE}); images are <registry>/tether-<module>:<tag>.")
    String registry;

    @Option(names = "--tag", paramLabel = "TAG", description = "The images' tag (default: this tether's version).")
    String tag;

    @Parameters(arity = "0..*", paramLabel = "PIPELINE", description = "Compile only these pipelines (default: every registered one).")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (!Files.isDirectory(out)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + ": no such directory (run from the repository root, "
                    + "where pipeline-defs/ is, or pass --out)");
        }
        CompileSettings settings = CompileSettings.defaults().withRegistry(registry);
        if (tag != null) {
            settings = settings.withTag(tag);
        }
        PipelineCatalog catalog = PipelineCatalog.load();
        List<Pipeline> pipelines = names.isEmpty() ? catalog.pipelines() : names.stream().map(catalog::get).toList();
        // Files of pipelines that no longer exist are removed only when every pipeline is compiled.
        boolean all = names.isEmpty();
        Map<String, String> files = PipelineFiles.render(pipelines, settings);
        if (check) {
            List<String> stale = PipelineFiles.stale(out, files, all);
            stale.forEach(f -> stdout.println("stale: " + out.resolve(f)));
            if (stale.isEmpty()) {
                stdout.println("tether compile: " + files.size() + " files for " + pipelines.size() + " pipeline(s) are current");
            } else {
                spec.commandLine().getErr().println("tether compile: " + stale.size() + " file(s) differ from a fresh compile; run ./tether compile");
            }
            stdout.flush();
            return stale.isEmpty() ? 0 : 1;
        }
        List<String> changed = PipelineFiles.write(out, files, all);
        for (String f : changed) {
            stdout.println((files.containsKey(f) ? "wrote " : "removed ") + out.resolve(f));
        }
        stdout.println("tether compile: " + pipelines.size() + " pipeline(s), " + files.size() + " files, " + changed.size() + " changed");
        stdout.flush();
        return 0;
    }
}
