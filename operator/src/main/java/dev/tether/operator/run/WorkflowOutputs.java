package dev.tether.operator.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished Workflow reports: the global output parameters the pipeline exports with
 * {@code globalName}, which Argo puts under {@code status.outputs.parameters}. kl (in the unit of the
 * run's target) and reward are required; beta (the final β), gold_reward and eval_passed are optional.
 */
public record WorkflowOutputs(double kl, double reward, Double finalBeta, Double goldReward, Boolean evaluationPassed) {

    public static final String KL = "kl";
    public static final String REWARD = "reward";
    public static final String FINAL_BETA = "beta";
    public static final String GOLD_REWARD = "gold_reward";
    public static final String EVAL_PASSED = "eval_passed";

    /**
     * @param parameters {@code status.outputs.parameters} of the Workflow (each a map with name and value)
     * @throws IllegalArgumentException naming the parameter that is missing or not a number
     */
    public static WorkflowOutputs parse(List<Map<String, Object>> parameters) {
        Map<String, String> values = new HashMap<>();
        if (parameters != null) {
            for (Map<String, Object> p : parameters) {
                Object name = p.get("name");
                Object value = p.get("value");
                if (name != null && value != null) {
                    values.put(name.toString(), value.toString().trim());
                }
            }
        }
        double kl = required(values, KL);
        if (kl < 0) {
            throw new IllegalArgumentException("Workflow output parameter '" + KL + "': expected a KL ≥ 0, got " + kl);
        }
        double reward = required(values, REWARD);
        Double finalBeta = optional(values, FINAL_BETA);
        if (finalBeta != null && finalBeta < 0) {
            throw new IllegalArgumentException("Workflow output parameter '" + FINAL_BETA + "': expected β ≥ 0, got " + finalBeta);
        }
        Boolean passed = null;
        String eval = values.get(EVAL_PASSED);
        if (eval != null) {
            if (!eval.equalsIgnoreCase("true") && !eval.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("Workflow output parameter '" + EVAL_PASSED
                        + "': expected true or false, got '" + eval + "'");
            }
            passed = Boolean.parseBoolean(eval.toLowerCase());
        }
        return new WorkflowOutputs(kl, reward, finalBeta, optional(values, GOLD_REWARD), passed);
    }

    private static double required(Map<String, String> values, String name) {
        Double v = optional(values, name);
        if (v == null) {
            throw new IllegalArgumentException("Workflow output parameter '" + name
                    + "': expected a number exported with globalName, got nothing");
        }
        return v;
    }

    private static Double optional(Map<String, String> values, String name) {
        String text = values.get(name);
        if (text == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(text);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Workflow output parameter '" + name + "': expected a finite number, got '"
                    + text + "'");
        }
    }
}
