package dev.tether.pipeline;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The pipelines on the classpath, by name (see {@link PipelineProvider}). */
public final class PipelineCatalog {
    private final TreeMap<String, PipelineProvider> providers;

    private PipelineCatalog(TreeMap<String, PipelineProvider> providers) {
        this.providers = providers;
    }

    public static PipelineCatalog load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return of(ServiceLoader.load(PipelineProvider.class, loader != null ? loader : PipelineCatalog.class.getClassLoader())
                    .stream().map(ServiceLoader.Provider::get).toList());
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load the registered pipelines (META-INF/services/" + PipelineProvider.class.getName()
                    + "): " + e.getMessage(), e);
        }
    }

    public static PipelineCatalog of(Collection<? extends PipelineProvider> providers) {
        TreeMap<String, PipelineProvider> byName = new TreeMap<>();
        for (PipelineProvider p : providers) {
            PipelineProvider before = byName.putIfAbsent(p.name(), p);
            if (before != null) {
                throw new IllegalStateException("two pipelines are named '" + p.name() + "': " + before.getClass().getName() + " and "
                        + p.getClass().getName());
            }
        }
        return new PipelineCatalog(byName);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(providers.keySet());
    }

    /** Builds pipeline {@code name}; the error for an unknown name lists those there are. */
    public Pipeline get(String name) {
        PipelineProvider provider = providers.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown pipeline '" + name + "'; " + (providers.isEmpty()
                    ? "no pipelines are registered (a module lists its providers in META-INF/services/" + PipelineProvider.class.getName() + ")"
                    : "known pipelines: " + String.join(", ", providers.keySet())));
        }
        Pipeline p = provider.pipeline();
        if (!p.name().equals(name)) {
            throw new IllegalStateException(provider.getClass().getName() + " is registered as pipeline '" + name + "' but builds '" + p.name() + "'");
        }
        return p;
    }

    /** Every pipeline, built, in name order (what the compilers render). */
    public List<Pipeline> pipelines() {
        return providers.keySet().stream().map(this::get).toList();
    }
}
