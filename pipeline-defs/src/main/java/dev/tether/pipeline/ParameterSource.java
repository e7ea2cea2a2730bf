package dev.tether.pipeline;

import dev.tether.core.outputs.ParameterText;

/**
 * Where a task's parameter value comes from: a constant, a pipeline parameter (set when the
 * pipeline is run), an upstream task's output parameter ({@code kl}, {@code beta}, …), or, in a
 * fanned-out task, the shard index.
 */
public sealed interface ParameterSource {

    /** A value fixed in the pipeline definition, as the text a command line would get. */
    record Constant(String text) implements ParameterSource {
        @Override
        public String toString() {
            return "'" + text + "'";
        }
    }

    record PipelineParameter(String name) implements ParameterSource {
        @Override
        public String toString() {
            return "pipeline parameter " + name;
        }
    }

    /**
     * Which shard of a fanned-out task this run is, from 0: the loop item, which only the engine
     * knows when the task runs ({@code {{item}}} in Argo, the ParallelFor item in KFP, the
     * local runner's loop).
     */
    record ShardIndex() implements ParameterSource {
        @Override
        public String toString() {
            return "the shard index";
        }
    }

    /** Output parameter {@code parameter} of task {@code task}. */
    record TaskOutput(String task, String parameter) implements ParameterSource {
        @Override
        public String toString() {
            return task + "." + parameter;
        }
    }

    /** A constant: strings as they are, numbers in the same text engines read ({@link ParameterText}). */
    static ParameterSource constant(Object value) {
        return new Constant(ParameterText.format("constant", value));
    }

    static ParameterSource pipelineParameter(String name) {
        return new PipelineParameter(name);
    }

    static ParameterSource outputParameter(String task, String parameter) {
        return new TaskOutput(task, parameter);
    }
}
