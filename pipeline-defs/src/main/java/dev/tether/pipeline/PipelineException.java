package dev.tether.pipeline;

import java.util.List;

/**
 * A pipeline definition that cannot run: every problem found, each naming the task and field and
 * what was expected. An {@link IllegalArgumentException}, so the command line exits 2.
 */
public class PipelineException extends IllegalArgumentException {
    private final String pipeline;
    private final List<String> problems;

    public PipelineException(String pipeline, List<String> problems) {
        super(message(pipeline, problems));
        this.pipeline = pipeline;
        this.problems = List.copyOf(problems);
    }

    public String pipeline() {
        return pipeline;
    }

    public List<String> problems() {
        return problems;
    }

    // The first problem on the first line (what a one-line error display shows), the rest below it.
    private static String message(String pipeline, List<String> problems) {
        StringBuilder b = new StringBuilder("pipeline " + pipeline + ": " + problems.get(0));
        if (problems.size() > 1) {
            b.append(" (and ").append(problems.size() - 1).append(" more problem").append(problems.size() > 2 ? "s" : "").append(")");
            problems.forEach(p -> b.append("\n  - ").append(p));
        }
        return b.toString();
    }
}
