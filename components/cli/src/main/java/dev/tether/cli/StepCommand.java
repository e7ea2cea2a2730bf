package dev.tether.cli;

import dev.tether.step.StepCatalog;
import dev.tether.step.StepCli;
import dev.tether.step.StepDefinition;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tether step <name> [options]}: one step, with exactly the command line its container
 * entrypoint has ({@link StepCli}), so a step can be tried here before its image is built.
 */
@Command(name = "step", mixinStandardHelpOptions = true, modelTransformer = StepCommand.PassThrough.class,
        description = {"Runs one step with its own options, as its container does.", "tether step <name> --help shows a step's options."})
final class StepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--list", description = "List the steps.")
    boolean list;

    @Parameters(arity = "0..*", paramLabel = "NAME [OPTION...]", description = "The step, then its options.")
    List<String> args = new ArrayList<>();

    /**
     * Everything after the step's name belongs to the step: its options are unknown to this
     * command, so they must pass through as they are, in order.
     */
    static final class PassThrough implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.parser().stopAtPositional(true).unmatchedOptionsArePositionalParams(true);
            return spec;
        }
    }

    @Override
    public Integer call() {
        StepCatalog steps = StepCatalog.load();
        if (list) {
            PrintWriter out = spec.commandLine().getOut();
            if (steps.names().isEmpty()) {
                out.println("no steps are registered (a step module lists its steps in META-INF/services/dev.tether.step.Step)");
            }
            int width = steps.names().stream().mapToInt(String::length).max().orElse(1);
            for (StepDefinition d : steps.definitions()) {
                out.printf("%-" + width + "s  %s%n", d.name(), d.description());
            }
            out.flush();
            return 0;
        }
        if (args.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "which step? known: " + String.join(", ", steps.names()));
        }
        return StepCli.execute(steps.get(args.get(0)), args.subList(1, args.size()).toArray(String[]::new),
                WriterStream.of(spec.commandLine().getOut()), WriterStream.of(spec.commandLine().getErr()));
    }
}
