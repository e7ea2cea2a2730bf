package dev.tether.operator.run;

import dev.tether.operator.support.SpecErrors;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run's parameters against what its WorkflowTemplate declares: every parameter passed must be
 * declared (a typo, or a template that cannot take β, would otherwise be silently ignored or fail
 * late inside Argo), and every declared parameter without a default must be passed.
 */
public final class TemplateCheck {

    private TemplateCheck() {
    }

    public static SpecErrors check(GenericKubernetesResource template, Set<String> passed) {
        SpecErrors errors = new SpecErrors();
        String name = template.getMetadata().getName();
        List<Map<String, Object>> declared = template.get("spec", "arguments", "parameters");
        Set<String> names = new LinkedHashSet<>();
        if (declared != null) {
            for (Map<String, Object> p : declared) {
                Object n = p.get("name");
                if (n == null) {
                    continue;
                }
                names.add(n.toString());
                boolean hasDefault = p.get("value") != null || p.get("default") != null;
                if (!hasDefault && !passed.contains(n.toString())) {
                    errors.add("spec.parameters." + n, "WorkflowTemplate " + name + " needs it (it has no default)");
                }
            }
        }
        for (String p : passed) {
            if (!names.contains(p)) {
                errors.add(fieldOf(p), "WorkflowTemplate " + name + " declares no parameter '" + p + "'");
            }
        }
        return errors;
    }

    private static String fieldOf(String parameter) {
        return switch (parameter) {
            case RunSpecValidator.BETA -> "spec.beta";
            case RunSpecValidator.KL_TARGET, RunSpecValidator.KL_TARGET_UNIT -> "spec.klTarget";
            case RunSpecValidator.POLICY_URI -> "spec.models.policyUri";
            case RunSpecValidator.REWARD_MODEL_URI -> "spec.models.rewardModelUri";
            case RunSpecValidator.REFERENCE_URI -> "spec.models.referenceUri";
            case RunSpecValidator.PROMPTS_URI -> "spec.data.promptsUri";
            default -> "spec.parameters." + parameter;
        };
    }
}
