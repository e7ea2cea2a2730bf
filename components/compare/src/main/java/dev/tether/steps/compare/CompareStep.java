package dev.tether.steps.compare;

import static dev.tether.step.ParameterSpec.optional;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.ArtifactReader;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.formats.Schemas;
import dev.tether.step.ArtifactKind;
import dev.tether.step.ArtifactPort;
import dev.tether.step.ParamType;
import dev.tether.step.Resources;
import dev.tether.step.Step;
import dev.tether.step.StepContext;
import dev.tether.step.StepDefinition;
import dev.tether.steps.evaluate.artifact.EvaluationArtifact;
import dev.tether.steps.evaluate.artifact.EvaluationPoint;
import dev.tether.steps.evaluate.report.Arm;
import dev.tether.steps.evaluate.report.Report;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One report comparing the arms of an experiment — typically β = 0 against an adaptive β, each an
 * evaluation whose history holds its checkpoints — against the base model: the over-optimization
 * curves side by side, β and KL per iteration, gold against proxy, text quality, and findings in
 * sentences with their numbers. Arms must have been evaluated on the same held-out prompts with
 * the same proxy, or their numbers are not comparable.
 */
public final class CompareStep implements Step {
    static final List<String> ARM_PORTS = List.of("arm_a", "arm_b", "arm_c");

    public static final StepDefinition DEFINITION = StepDefinition.builder("compare")
            .description("One report comparing two or three evaluated arms (e.g. beta-0 and beta-adaptive) and the base model.")
            .input(ArtifactPort.of("arm_a", EvaluationArtifact.SCHEMA, ArtifactKind.ARTIFACT, "The first arm's latest evaluation (its history holds its curve)."))
            .input(ArtifactPort.of("arm_b", EvaluationArtifact.SCHEMA, ArtifactKind.ARTIFACT, "The second arm's latest evaluation."))
            .input(ArtifactPort.of("arm_c", EvaluationArtifact.SCHEMA, ArtifactKind.ARTIFACT, "A third arm, optional.").asOptional())
            .input(ArtifactPort.of("base", EvaluationArtifact.SCHEMA, ArtifactKind.ARTIFACT, "An evaluation of the base model, the arms' common start.").asOptional())
            .output(ArtifactPort.of("report", Schemas.REPORT, ArtifactKind.ARTIFACT, "report.html, report.md, charts/*.svg, comparison.json."))
            .parameter(optional("title", ParamType.STRING, "What the KL penalty does", "The report's title."))
            .htmlReport("report_html", "report", Report.HTML_FILE)
            .markdownReport("report_md", "report", Report.MARKDOWN_FILE)
            .resources(Resources.cpu("1", "1Gi"))
            .build();

    @Override
    public StepDefinition definition() {
        return DEFINITION;
    }

    @Override
    public void run(StepContext ctx) {
        List<ArtifactReader> readers = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (String port : ARM_PORTS) {
            ctx.optionalInput(port).ifPresent(r -> {
                readers.add(r);
                ports.add(port);
            });
        }
        Optional<ArtifactReader> baseReader = ctx.optionalInput("base");
        ArtifactReader first = readers.get(0);
        List<String> allPorts = new ArrayList<>(ports);
        List<ArtifactReader> all = new ArrayList<>(readers);
        baseReader.ifPresent(b -> {
            all.add(b);
            allPorts.add("base");
        });
        for (int i = 1; i < all.size(); i++) {
            sameEvaluationSet(first, ports.get(0), all.get(i), allPorts.get(i));
        }
        List<Arm> arms = new ArrayList<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < readers.size(); i++) {
            EvaluationArtifact e = EvaluationArtifact.read(readers.get(i));
            String before = labels.putIfAbsent(e.evaluation().label(), ports.get(i));
            if (before != null) {
                throw new IllegalArgumentException(ports.get(i) + " and " + before + " are both labelled '" + e.evaluation().label()
                        + "'; evaluate each arm with its own --label");
            }
            arms.add(Arm.of(e.evaluation(), e.samples()));
        }
        Optional<EvaluationPoint> base = baseReader.map(b -> EvaluationArtifact.read(b).evaluation().self());

        Map<String, String> provenance = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            provenance.put(allPorts.get(i), all.get(i).digest());
        }
        provenance.put("prompts", first.input("prompts"));
        provenance.put("reward_model", first.input("reward_model"));
        String subtitle = "Arms: " + String.join(", ", labels.keySet()) + (base.isPresent() ? "; against the base model" : "")
                + ". Every number is from held-out prompts the policies were not trained on; KL is to the frozen reference.";
        Report report = Report.build(ctx.string("title"), subtitle, arms, base, provenance);
        try (ArtifactWriter w = ctx.writer("report")) {
            report.write(w);
            w.writeJson(Comparison.FILE_NAME, Comparison.of(report));
            w.commit();
        }
    }

    /** Both evaluated the same held-out prompts with the same proxy (their manifests' input digests). */
    private static void sameEvaluationSet(ArtifactReader a, String aPort, ArtifactReader b, String bPort) {
        for (String input : List.of("prompts", "reward_model")) {
            String x = a.inputs().get(input);
            String y = b.inputs().get(input);
            if (x == null || !x.equals(y)) {
                throw new ArtifactException(bPort + " " + b.dir() + " evaluated " + input + " " + y + " but " + aPort + " " + a.dir() + " evaluated " + x
                        + "; arms are compared on the same held-out prompts and proxy");
            }
        }
    }
}
