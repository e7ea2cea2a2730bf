package dev.tether.operator.run;

import dev.tether.operator.api.v1alpha1.Api;
import dev.tether.operator.api.v1alpha1.RLHFRun;
import dev.tether.operator.support.Owners;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Workflow of a run: named after the run (so creating it twice is a 409, never a second
 * Workflow), owned by it (deleting the run deletes it), submitted from the run's WorkflowTemplate.
 */
public final class WorkflowFactory {

    private WorkflowFactory() {
    }

    /** Every parameter the Workflow is submitted with: β first, then the spec's, in order. */
    public static Map<String, String> parameters(RunSettings settings, double beta) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(RunSpecValidator.BETA, Double.toString(beta));
        all.putAll(settings.parameters());
        return all;
    }

    public static GenericKubernetesResource build(RLHFRun run, RunSettings settings, double beta) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Api.LABEL_RUN, run.getMetadata().getName());
        if (run.getMetadata().getLabels() != null && run.getMetadata().getLabels().containsKey(Api.LABEL_SCHEDULE)) {
            labels.put(Api.LABEL_SCHEDULE, run.getMetadata().getLabels().get(Api.LABEL_SCHEDULE));
        }
        List<Map<String, Object>> arguments = new ArrayList<>();
        parameters(settings, beta).forEach((name, value) -> arguments.add(Map.of("name", name, "value", value)));

        Map<String, Object> templateRef = new LinkedHashMap<>();
        templateRef.put("name", settings.templateName());
        if (settings.clusterScope()) {
            templateRef.put("clusterScope", true);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("workflowTemplateRef", templateRef);
        spec.put("arguments", Map.of("parameters", arguments));
        if (settings.serviceAccountName() != null) {
            spec.put("serviceAccountName", settings.serviceAccountName());
        }
        if (settings.activeDeadlineSeconds() != null) {
            spec.put("activeDeadlineSeconds", settings.activeDeadlineSeconds());
        }
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(Argo.GROUP + "/" + Argo.VERSION).withKind("Workflow")
                .withNewMetadata()
                .withName(run.getMetadata().getName()).withNamespace(run.getMetadata().getNamespace())
                .withLabels(labels).withOwnerReferences(Owners.controllerReference(run))
                .endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }
}
