package dev.tether.cli;

import dev.tether.core.TetherVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./tether} command line. Exit codes: 0 done, 1 the work failed, 2 bad usage or input. */
@Command(
        name = "tether",
        mixinStandardHelpOptions = true,
        versionProvider = Tether.Version.class,
        description = "KL-penalized RLHF for language models, on this machine.",
        subcommands = {DemoCommand.class, BanditCommand.class, RunCommand.class, StepCommand.class, CompileCommand.class, CommandLine.HelpCommand.class})
public final class Tether {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Tether());
        // One line on stderr for bad input, as a workflow engine shows it; no stack trace.
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("tether " + cmd.getCommandName() + ": " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tether " + TetherVersion.get()};
        }
    }
}
