package dev.tether.step;

/**
 * How many threads the native engines use when nobody said. libtorch and ONNX Runtime size their
 * thread pools from the host's cores, not from the CPUs a container may use: a step in a pod
 * limited to 2 CPUs on a 64-core node would start 64 threads and spend its quota switching between
 * them. The JVM does read the cgroup limit ({@link Runtime#availableProcessors()}), so that is what
 * the engines get, one intra-op pool each and a single inter-op thread (steps run one graph at a
 * time). Whatever is already set, e.g. {@code -Dai.djl.pytorch.num_threads=1} in
 * {@code JDK_JAVA_OPTIONS} or by {@code ./tether}, wins.
 */
public final class EngineThreads {
    static final String PYTORCH = "ai.djl.pytorch.num_threads";
    static final String PYTORCH_INTEROP = "ai.djl.pytorch.num_interop_threads";
    static final String ONNXRUNTIME = "ai.djl.onnxruntime.num_threads";
    static final String ONNXRUNTIME_INTEROP = "ai.djl.onnxruntime.num_interop_threads";

    private EngineThreads() {}

    /** Sets the engines' thread counts that are not set yet; call before an engine loads. */
    public static void applyDefaults() {
        applyDefaults(Runtime.getRuntime().availableProcessors());
    }

    static void applyDefaults(int cpus) {
        String intra = Integer.toString(Math.max(1, cpus));
        setIfAbsent(PYTORCH, intra);
        setIfAbsent(PYTORCH_INTEROP, "1");
        setIfAbsent(ONNXRUNTIME, intra);
        setIfAbsent(ONNXRUNTIME_INTEROP, "1");
    }

    private static void setIfAbsent(String key, String value) {
        String current = System.getProperty(key);
        if (current == null || current.isBlank()) {
            System.setProperty(key, value);
        }
    }
}
