package dev.tether.step;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * A container entrypoint for a module that hosts one or more steps: the first step is the default,
 * and a leading argument naming another of them selects it ({@code merge-rollout --rollouts DIR …} in
 * the rollout image). Pipelines rely on this contract when they render a step's command.
 */
public final class StepMain {
    private StepMain() {}

    public static int run(List<Step> steps, String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && !args[0].startsWith("-")) {
            for (Step s : steps) {
                if (s.definition().name().equals(args[0])) {
                    return StepCli.execute(s, Arrays.copyOfRange(args, 1, args.length), out, err);
                }
            }
            err.println("tether: unknown step '" + args[0] + "' in this image; it runs "
                    + steps.stream().map(s -> s.definition().name()).toList());
            return ExitCode.BAD_INPUT;
        }
        return StepCli.execute(steps.get(0), args, out, err);
    }
}
