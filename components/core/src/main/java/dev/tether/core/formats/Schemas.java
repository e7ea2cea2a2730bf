package dev.tether.core.formats;

/** The artifact schemas that pass between tether's steps (DESIGN.md, 5), with their versions. */
public final class Schemas {
    private Schemas() {}

    /** prompts.jsonl: one {"prompt": ...} a line, extra fields kept. */
    public static final String PROMPTS = "tether.prompts";
    /** text.jsonl: one {"text": ...} a line, for supervised fine-tuning. */
    public static final String TEXT = "tether.text";
    /** preferences.jsonl: one {"chosen": ..., "rejected": ...} a line, for reward models. */
    public static final String PREFERENCES = "tether.preferences";
    /** A policy checkpoint in the Hugging Face layout (+ value head, optimizer, trainer state). */
    public static final String POLICY = "tether.policy";
    /** model.onnx (a sequence classifier: input_ids, attention_mask → logits), tokenizer.json, reward_config.json. */
    public static final String REWARD_MODEL = "tether.reward-model";
    /** A frozen reference: model.onnx (input_ids, attention_mask → logits [B, T, V]) and tokenizer.json. */
    public static final String REFERENCE_MODEL = "tether.reference-model";
    /** rollout.safetensors + rollout.jsonl. */
    public static final String ROLLOUT = "tether.rollout";
    /** scores.safetensors: one float32 score per sample. */
    public static final String SCORES = "tether.scores";
    /** ref_logprobs.safetensors: the reference's log-prob of each response token. */
    public static final String REF_LOGPROBS = "tether.ref-logprobs";
    /** metrics.json (+ the engines' outputs). */
    public static final String METRICS = "tether.metrics";
    /** report.html, report.md and charts. */
    public static final String REPORT = "tether.report";

    public static final int VERSION = 1;
}
