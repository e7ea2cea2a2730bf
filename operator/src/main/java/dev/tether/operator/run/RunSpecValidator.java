package dev.tether.operator.run;

import dev.tether.core.beta.KlTarget;
import dev.tether.operator.api.v1alpha1.BudgetSpec;
import dev.tether.operator.api.v1alpha1.RLHFRunSpec;
import dev.tether.operator.api.v1alpha1.Uris;
import dev.tether.operator.support.SpecErrors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks a run's spec where it enters, field by field, with the same rules as the CRD's schema (which
 * a mistyped resource may have bypassed: an older CRD, a direct write) plus what a schema cannot say.
 */
public final class RunSpecValidator {

    /** The Workflow parameters the operator sets itself; spec.parameters may not set them. */
    public static final String BETA = "beta";
    public static final String KL_TARGET = "kl_target";
    public static final String KL_TARGET_UNIT = "kl_target_unit";
    /*
     * The pipeline's input artifacts, as the compiled WorkflowTemplate takes them
     * (pipeline-defs/argo): keys in the workflow's artifact repository. A spec gives each as a URI;
     * its path is the key (s3://tether-models/policies/sft → policies/sft), and the repository the
     * WorkflowTemplate names decides the bucket and holds the credentials.
     */
    public static final String POLICY_URI = "policy_key";
    public static final String PROMPTS_URI = "prompts_key";
    public static final String REWARD_MODEL_URI = "reward_model_key";
    public static final String REFERENCE_URI = "reference_policy_key";
    private static final List<String> RESERVED =
            List.of(BETA, KL_TARGET, KL_TARGET_UNIT, POLICY_URI, PROMPTS_URI, REWARD_MODEL_URI, REFERENCE_URI);

    private static final Pattern URI = Pattern.compile(Uris.PATTERN);
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern PARAMETER_NAME = Pattern.compile("^[A-Za-z0-9_][-A-Za-z0-9_.]*$");
    /**
     * Names that say "credential": such values belong in a Secret, never in a spec a GitOps repo holds.
     * "tokens" is a count of text tokens (max_new_tokens), not a credential.
     */
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(password|passwd|secret|token(?!s)|credential|access[_-]?key|api[_-]?key|private[_-]?key).*");

    /** Either the settings or the errors; never both. */
    public record Result(RunSettings settings, SpecErrors errors) {
        public boolean valid() {
            return settings != null;
        }
    }

    private RunSpecValidator() {
    }

    /**
     * @param at where the spec sits ("spec" for a run, "spec.runTemplate.spec" for a schedule's template)
     * @param betaRequired false for a schedule's template, whose β the schedule sets (and which must then be absent)
     */
    public static Result validate(RLHFRunSpec spec, String at, boolean betaRequired) {
        SpecErrors errors = new SpecErrors();
        if (spec == null) {
            errors.add(at, "expected a spec, got nothing");
            return new Result(null, errors);
        }
        String templateName = null;
        if (spec.workflowTemplateRef == null || spec.workflowTemplateRef.name == null) {
            errors.add(at + ".workflowTemplateRef.name", "expected the name of an Argo WorkflowTemplate, got nothing");
        } else if (!Pattern.matches("^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$", spec.workflowTemplateRef.name)) {
            errors.add(at + ".workflowTemplateRef.name", "expected a Kubernetes name, got '" + spec.workflowTemplateRef.name + "'");
        } else {
            templateName = spec.workflowTemplateRef.name;
        }

        Double fixedBeta = null;
        String fromSchedule = null;
        if (!betaRequired) {
            if (spec.beta != null) {
                errors.add(at + ".beta", "leave it out: the schedule sets β from spec.betaPolicy");
            }
        } else if (spec.beta == null || (spec.beta.value == null) == (spec.beta.fromSchedule == null)) {
            errors.add(at + ".beta", "expected exactly one of value and fromSchedule");
        } else if (spec.beta.value != null) {
            if (!Double.isFinite(spec.beta.value) || spec.beta.value < 0) {
                errors.add(at + ".beta.value", "expected a finite number ≥ 0, got " + spec.beta.value);
            } else {
                fixedBeta = spec.beta.value;
            }
        } else if (!DNS_LABEL.matcher(spec.beta.fromSchedule).matches()) {
            errors.add(at + ".beta.fromSchedule", "expected an RLHFSchedule name, got '" + spec.beta.fromSchedule + "'");
        } else {
            fromSchedule = spec.beta.fromSchedule;
        }

        KlTarget target = null;
        if (spec.klTarget == null || spec.klTarget.value == null || spec.klTarget.unit == null) {
            errors.add(at + ".klTarget", "expected a value and a unit (kl_seq or kl_token)");
        } else if (!Double.isFinite(spec.klTarget.value) || spec.klTarget.value <= 0) {
            errors.add(at + ".klTarget.value", "expected a finite number > 0, got " + spec.klTarget.value);
        } else {
            target = new KlTarget(spec.klTarget.value, spec.klTarget.unit);
        }

        Map<String, String> parameters = new LinkedHashMap<>();
        if (target != null) {
            parameters.put(KL_TARGET, Double.toString(target.value()));
            parameters.put(KL_TARGET_UNIT, target.unit().id());
        }
        if (spec.models == null) {
            errors.add(at + ".models", "expected policyUri and rewardModelUri, got nothing");
        } else {
            uri(errors, at + ".models.policyUri", spec.models.policyUri, true, POLICY_URI, parameters);
            uri(errors, at + ".models.rewardModelUri", spec.models.rewardModelUri, true, REWARD_MODEL_URI, parameters);
            if (spec.models.referenceUri != null) {
                uri(errors, at + ".models.referenceUri", spec.models.referenceUri, false, REFERENCE_URI, parameters);
            } else if (parameters.containsKey(POLICY_URI)) {
                // Without its own reference the run is anchored to the policy it starts from.
                parameters.put(REFERENCE_URI, parameters.get(POLICY_URI));
            }
        }
        if (spec.data == null) {
            errors.add(at + ".data", "expected promptsUri, got nothing");
        } else {
            uri(errors, at + ".data.promptsUri", spec.data.promptsUri, true, PROMPTS_URI, parameters);
        }
        if (spec.parameters != null) {
            for (Map.Entry<String, String> p : new TreeMap<>(spec.parameters).entrySet()) {
                String field = at + ".parameters." + p.getKey();
                if (RESERVED.contains(p.getKey())) {
                    errors.add(field, "set by the operator from the run's spec; remove it");
                } else if (!PARAMETER_NAME.matcher(p.getKey()).matches()) {
                    errors.add(field, "expected an Argo parameter name (letters, digits, - _ .)");
                } else if (SECRET_NAME.matcher(p.getKey()).matches()) {
                    errors.add(field, "credentials never go in a spec; reference a Secret from the WorkflowTemplate "
                            + "or the run's service account");
                } else {
                    parameters.put(p.getKey(), Objects.requireNonNullElse(p.getValue(), ""));
                }
            }
        }

        BudgetSpec budget = spec.budget;
        double maxKL = Double.NaN;
        Double maxJumpRatio = null;
        List<Double> recentKL = new ArrayList<>();
        Long deadline = null;
        if (budget == null || budget.maxKL == null) {
            errors.add(at + ".budget.maxKL", "expected the KL budget (a number > 0, in the target's unit), got nothing");
        } else {
            if (!Double.isFinite(budget.maxKL) || budget.maxKL <= 0) {
                errors.add(at + ".budget.maxKL", "expected a finite number > 0, got " + budget.maxKL);
            } else {
                maxKL = budget.maxKL;
            }
            if (budget.maxJumpRatio != null) {
                if (!Double.isFinite(budget.maxJumpRatio) || budget.maxJumpRatio < 1) {
                    errors.add(at + ".budget.maxJumpRatio", "expected a finite number ≥ 1, got " + budget.maxJumpRatio);
                } else {
                    maxJumpRatio = budget.maxJumpRatio;
                }
            }
            if (budget.recentKL != null) {
                for (int i = 0; i < budget.recentKL.size(); i++) {
                    Double kl = budget.recentKL.get(i);
                    if (kl == null || !Double.isFinite(kl) || kl < 0) {
                        errors.add(at + ".budget.recentKL[" + i + "]", "expected a finite KL ≥ 0, got " + kl);
                    } else {
                        recentKL.add(kl);
                    }
                }
            }
            if (budget.activeDeadlineSeconds != null) {
                if (budget.activeDeadlineSeconds < 1) {
                    errors.add(at + ".budget.activeDeadlineSeconds", "expected ≥ 1, got " + budget.activeDeadlineSeconds);
                } else {
                    deadline = budget.activeDeadlineSeconds;
                }
            }
        }
        if (spec.serviceAccountName != null && !DNS_LABEL.matcher(spec.serviceAccountName).matches()) {
            errors.add(at + ".serviceAccountName", "expected a service account name, got '" + spec.serviceAccountName + "'");
        }
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        boolean clusterScope = Boolean.TRUE.equals(spec.workflowTemplateRef.clusterScope);
        return new Result(new RunSettings(templateName, clusterScope, fixedBeta, fromSchedule, target,
                Collections.unmodifiableMap(parameters),
                maxKL, maxJumpRatio, List.copyOf(recentKL), deadline, spec.serviceAccountName), errors);
    }

    private static void uri(SpecErrors errors, String field, String value, boolean required, String parameter,
            Map<String, String> parameters) {
        if (value == null) {
            if (required) {
                errors.add(field, "expected a URI (scheme://location), got nothing");
            }
        } else if (value.matches("^[a-z][a-z0-9+.-]*://[^/\\s]*@.*")) {
            errors.add(field, "credentials never go in a URI; reference a Secret from the WorkflowTemplate or the "
                    + "run's service account");
        } else if (!URI.matcher(value).matches()) {
            errors.add(field, "expected a URI (scheme://location), got '" + value + "'");
        } else if (repositoryKey(value).isEmpty()) {
            errors.add(field, "expected a URI with a path (the artifact's key in the workflow's artifact repository), got '"
                    + value + "'");
        } else {
            parameters.put(parameter, repositoryKey(value));
        }
    }

    /** The key of a URI in an artifact repository: its path without the leading slash. */
    static String repositoryKey(String uri) {
        String rest = uri.substring(uri.indexOf("://") + 3);
        int slash = rest.indexOf('/');
        return slash < 0 ? "" : rest.substring(slash + 1);
    }
}
