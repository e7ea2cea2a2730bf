package dev.tether.operator.it;

import dev.tether.operator.run.Argo;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of Argo's workflow controller the operator sees: it moves a Workflow to Succeeded (with
 * the global output parameters the pipeline exports) or Failed, as the real controller writes them.
 */
public final class FakeArgo {
    private final KubernetesClient client;
    private final String namespace;

    public FakeArgo(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public GenericKubernetesResource get(String name) {
        return client.genericKubernetesResources(Argo.WORKFLOWS).inNamespace(namespace).withName(name).get();
    }

    public List<GenericKubernetesResource> all() {
        return client.genericKubernetesResources(Argo.WORKFLOWS).inNamespace(namespace).list().getItems();
    }

    public void running(String name) {
        setStatus(name, Map.of("phase", "Running", "startedAt", "2026-01-01T00:00:00Z"));
    }

    /** Succeeded, exporting kl, reward and (when given) the final β, as the pipeline's globalName outputs. */
    public void succeed(String name, double kl, double reward, Double finalBeta, Map<String, String> extra) {
        List<Map<String, Object>> parameters = new ArrayList<>();
        parameters.add(Map.of("name", "kl", "value", Double.toString(kl)));
        parameters.add(Map.of("name", "reward", "value", Double.toString(reward)));
        if (finalBeta != null) {
            parameters.add(Map.of("name", "beta", "value", Double.toString(finalBeta)));
        }
        extra.forEach((k, v) -> parameters.add(Map.of("name", k, "value", v)));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", "Succeeded");
        status.put("finishedAt", "2026-01-01T01:00:00Z");
        status.put("outputs", Map.of("parameters", parameters));
        setStatus(name, status);
    }

    /** Succeeded, with the final β equal to the β it was submitted with (a fixed in-run controller). */
    public void succeedKeepingBeta(String name, double kl, double reward) {
        GenericKubernetesResource wf = get(name);
        double beta = Double.parseDouble(Argo.argument(wf, "beta").orElseThrow());
        succeed(name, kl, reward, beta, Map.of());
    }

    public void fail(String name, String message) {
        setStatus(name, Map.of("phase", "Failed", "message", message, "finishedAt", "2026-01-01T01:00:00Z"));
    }

    public void delete(String name) {
        client.genericKubernetesResources(Argo.WORKFLOWS).inNamespace(namespace).withName(name).delete();
    }

    private void setStatus(String name, Map<String, Object> status) {
        client.genericKubernetesResources(Argo.WORKFLOWS).inNamespace(namespace).withName(name).edit(wf -> {
            wf.setAdditionalProperty("status", status);
            return wf;
        });
    }
}
