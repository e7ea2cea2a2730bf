package dev.tether.pipeline;

/**
 * Contributes one pipeline to {@link PipelineCatalog}: a module that defines a pipeline lists its
 * provider in {@code META-INF/services/dev.tether.pipeline.PipelineProvider}, so
 * {@code tether run <name>} and the compilers find it. Implementations need a public no-argument
 * constructor.
 */
public interface PipelineProvider {

    /** The pipeline's name, known without building it. */
    String name();

    /** Builds the pipeline; its name must be {@link #name()}. */
    Pipeline pipeline();
}
