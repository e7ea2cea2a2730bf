package dev.tether.steps.reference;

import static dev.tether.step.ParameterSpec.choice;
import static dev.tether.step.ParameterSpec.optional;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.formats.RolloutBatch;
import dev.tether.core.formats.Schemas;
import dev.tether.core.formats.SequenceScores;
import dev.tether.models.checkpoint.Checkpoint;
import dev.tether.models.checkpoint.PolicyArtifact;
import dev.tether.models.generate.TokenScorer;
import dev.tether.models.onnx.OnnxExport;
import dev.tether.models.onnx.OnnxScorer;
import dev.tether.models.onnx.TokenBatch;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.Resources;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The frozen reference's log-prob of every response token, under the temperature the rollout was
 * sampled at (so k1 is an honest KL estimate). The reference is an ONNX model scored on ONNX
 * Runtime, or a policy checkpoint — exported to ONNX on the fly, or scored on the PyTorch engine.
 */
public final class ReferenceStep implements Step {
    public static final String MODEL_FILE = "model.onnx";

    public static final StepDefinition DEFINITION = StepDefinition.builder("reference")
            .description("Per-token log-probs of the rollout's responses under the frozen reference model.")
            .input(ArtifactPort.of("rollout", Schemas.ROLLOUT, ArtifactKind.DATASET, "The sampled responses."))
            .input(ArtifactPort.of("reference", Schemas.REFERENCE_MODEL, ArtifactKind.MODEL, "The reference as ONNX (model.onnx).").asOptional())
            .input(ArtifactPort.of("reference_policy", Schemas.POLICY, ArtifactKind.MODEL, "Or the reference as a policy checkpoint.").asOptional())
            .output(ArtifactPort.of("ref_logprobs", Schemas.REF_LOGPROBS, ArtifactKind.DATASET, "log π_ref of each response token."))
            .parameter(choice("engine", "onnx", "For reference_policy: export to ONNX and score on ONNX Runtime, or score on PyTorch.", "onnx", "pytorch"))
            .parameter(optional("batch_size", ParamType.INT, "16", "Rows scored together."))
            .resources(Resources.cpu("2", "1Gi"))
            .build();

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        Optional<ArtifactReader> onnx = ctx.optionalInput("reference");
        Optional<ArtifactReader> policy = ctx.optionalInput("reference_policy");
        if (onnx.isPresent() == policy.isPresent()) {
            throw new IllegalArgumentException("give exactly one of --reference (ONNX) and --reference_policy (checkpoint), got "
                    + (onnx.isPresent() ? "both" : "neither"));
        }
        int batchSize = (int) ctx.integer("batch_size");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size: expected ≥ 1, got " + batchSize);
        }
        RolloutBatch rollout;
        float temperature;
        try (SafetensorsFile f = ctx.input("rollout").safetensors(RolloutBatch.FILE_NAME)) {
            rollout = RolloutBatch.read(f);
            temperature = Float.parseFloat(f.metadata().getOrDefault("temperature", "1.0"));
        }
        float[] logprobs;
        if (onnx.isPresent()) {
            logprobs = scoreOnnx(onnx.get().file(MODEL_FILE), rollout, temperature, batchSize);
        } else if (ctx.string("engine").equals("onnx")) {
            Path tmp = Files.createTempDirectory("tether-reference-");
            try {
                Path model = tmp.resolve(MODEL_FILE);
                OnnxExport.checkpoint(policy.get().dir(), model);
                logprobs = scoreOnnx(model, rollout, temperature, batchSize);
            } finally {
                AtomicFiles.deleteRecursively(tmp);
            }
        } else {
            logprobs = scorePytorch(policy.get().dir(), rollout, temperature, batchSize);
        }
        for (int i = 0; i < logprobs.length; i++) {
            if (rollout.responseMask()[i] == 0) {
                logprobs[i] = 0;
            }
        }
        try (ArtifactWriter w = ctx.writer("ref_logprobs")) {
            w.writeSafetensors(SequenceScores.REF_LOGPROBS_FILE,
                    List.of(SequenceScores.refLogprobs(rollout.batch(), rollout.responseLength(), logprobs)));
            w.commit();
        }
    }

    private static float[] scoreOnnx(Path modelFile, RolloutBatch r, float temperature, int batchSize) {
        int ql = r.queryLength();
        int rl = r.responseLength();
        float[] out = new float[r.batch() * rl];
        try (OnnxScorer scorer = OnnxScorer.load(modelFile, java.util.Map.of(OnnxScorer.ROWS_PER_RUN, Integer.toString(batchSize)))) {
            float[][] lp = scorer.responseLogProbs(TokenBatch.queryThenResponse(r), ql, temperature);
            for (int b = 0; b < r.batch(); b++) {
                System.arraycopy(lp[b], 0, out, b * rl, rl);
            }
        }
        return out;
    }

    private static float[] scorePytorch(Path policyDir, RolloutBatch r, float temperature, int batchSize) {
        float[] out = new float[r.batch() * r.responseLength()];
        try (NDManager nd = NDManager.newBaseManager(); Checkpoint ref = PolicyArtifact.readPolicy(policyDir, nd)) {
            for (int from = 0; from < r.batch(); from += batchSize) {
                int to = Math.min(r.batch(), from + batchSize);
                int[] rows = new int[to - from];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = from + i;
                }
                RolloutBatch mb = r.rows(rows);
                try (NDManager m = nd.newSubManager()) {
                    Shape q = new Shape(mb.batch(), mb.queryLength());
                    Shape s = new Shape(mb.batch(), mb.responseLength());
                    NDArray lp = TokenScorer.score(ref.model(), null, m.create(mb.queryIds(), q), m.create(mb.queryMask(), q),
                            m.create(mb.responseIds(), s), m.create(mb.responseMask(), s), temperature).logprobs();
                    System.arraycopy(lp.toFloatArray(), 0, out, from * r.responseLength(), mb.batch() * r.responseLength());
                }
            }
        }
        return out;
    }
}
