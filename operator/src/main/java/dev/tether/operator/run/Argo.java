package dev.tether.operator.run;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Argo's Workflow and WorkflowTemplate as generic resources: the operator reads and writes only a few fields. */
public final class Argo {

    public static final String GROUP = "argoproj.io";
    public static final String VERSION = "v1alpha1";
    public static final GroupVersionKind WORKFLOW_GVK = new GroupVersionKind(GROUP, VERSION, "Workflow");

    public static final ResourceDefinitionContext WORKFLOWS = context("Workflow", "workflows", true);
    public static final ResourceDefinitionContext WORKFLOW_TEMPLATES = context("WorkflowTemplate", "workflowtemplates", true);
    public static final ResourceDefinitionContext CLUSTER_WORKFLOW_TEMPLATES =
            context("ClusterWorkflowTemplate", "clusterworkflowtemplates", false);

    /** Argo's Workflow phases (status.phase); empty or Pending before its controller picks it up. */
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    public static final String ERROR = "Error";

    private Argo() {
    }

    private static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP).withVersion(VERSION).withKind(kind).withPlural(plural).withNamespaced(namespaced)
                .build();
    }

    public static String phase(GenericKubernetesResource workflow) {
        return workflow.<String>get("status", "phase");
    }

    public static String message(GenericKubernetesResource workflow) {
        return workflow.<String>get("status", "message");
    }

    public static List<Map<String, Object>> outputParameters(GenericKubernetesResource workflow) {
        return workflow.<List<Map<String, Object>>>get("status", "outputs", "parameters");
    }

    /** The value the Workflow was submitted with for an argument parameter. */
    public static Optional<String> argument(GenericKubernetesResource workflow, String name) {
        List<Map<String, Object>> parameters = workflow.get("spec", "arguments", "parameters");
        if (parameters == null) {
            return Optional.empty();
        }
        return parameters.stream()
                .filter(p -> name.equals(p.get("name")) && p.get("value") != null)
                .map(p -> p.get("value").toString())
                .findFirst();
    }
}
