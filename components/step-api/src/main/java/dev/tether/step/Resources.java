package dev.tether.step;

/**
 * What a step's container asks for, in Kubernetes quantities ("2", "500m"; "4Gi").
 *
 * @param accelerator e.g. "nvidia.com/gpu", or null for CPU only
 */
public record Resources(String cpu, String memory, String accelerator, int acceleratorCount) {
    public static Resources cpu(String cpu, String memory) {
        return new Resources(cpu, memory, null, 0);
    }
}
