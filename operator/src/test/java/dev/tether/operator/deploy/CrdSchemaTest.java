package dev.tether.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The generated CRDs: what their schema accepts and rejects, their columns, and deploy/'s copy being current. */
class CrdSchemaTest {
    static final Path DIR = Path.of(System.getProperty("tether.operator.dir", "."));
    static final Path GENERATED = DIR.resolve("target/classes/META-INF/fabric8");

    private static CrdSchema runs() throws IOException {
        return CrdSchema.load(GENERATED.resolve("rlhfruns.tether.dev-v1.yml"));
    }

    private static CrdSchema schedules() throws IOException {
        return CrdSchema.load(GENERATED.resolve("rlhfschedules.tether.dev-v1.yml"));
    }

    private static JsonNode example(String file, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode node = (ObjectNode) CrdSchema.YAML.readTree(DIR.resolve("examples").resolve(file).toFile());
        edit.accept(node);
        return node;
    }

    private static ObjectNode at(ObjectNode root, String pointer) {
        return (ObjectNode) root.at(pointer);
    }

    @Test
    void theExamplesAreValid() throws IOException {
        assertThat(runs().validate(example("run.yaml", n -> { }))).isEmpty();
        assertThat(schedules().validate(example("schedule.yaml", n -> { }))).isEmpty();
    }

    @Test
    void aRunMissingWhatItNeedsOrOutOfRangeIsRejected() throws IOException {
        CrdSchema runs = runs();
        assertThat(runs.validate(example("run.yaml", n -> at(n, "/spec").remove("klTarget"))))
                .singleElement().asString().contains("$.spec").contains("klTarget");
        assertThat(runs.validate(example("run.yaml", n -> at(n, "/spec/klTarget").put("unit", "nats"))))
                .singleElement().asString().contains("$.spec.klTarget.unit").contains("enumeration");
        assertThat(runs.validate(example("run.yaml", n -> at(n, "/spec/budget").put("maxKL", 0))))
                .singleElement().asString().contains("$.spec.budget.maxKL");
        assertThat(runs.validate(example("run.yaml", n -> at(n, "/spec/beta").put("value", -0.1))))
                .singleElement().asString().contains("$.spec.beta.value");
        assertThat(runs.validate(example("run.yaml", n -> at(n, "/spec/budget").put("maxJumpRatio", 0.5))))
                .singleElement().asString().contains("$.spec.budget.maxJumpRatio");
        assertThat(runs.validate(example("run.yaml", n -> at(n, "/spec/models").put("policyUri", "s3://key:secret@bucket/p"))))
                .singleElement().asString().contains("$.spec.models.policyUri").contains("pattern");
        assertThat(runs.validate(example("run.yaml", n -> at(n, "/spec/models").remove("rewardModelUri"))))
                .singleElement().asString().contains("rewardModelUri");
        assertThat(runs.validate(example("run.yaml", n -> at(n, "/spec/parameters").put("iterations", 50))))
                .singleElement().asString().contains("$.spec.parameters.iterations").contains("string");
    }

    @Test
    void aScheduleWithAnUnknownPolicyOrOutOfRangeLimitIsRejected() throws IOException {
        CrdSchema schedules = schedules();
        assertThat(schedules.validate(example("schedule.yaml", n -> at(n, "/spec").put("concurrencyPolicy", "Sometimes"))))
                .singleElement().asString().contains("$.spec.concurrencyPolicy");
        assertThat(schedules.validate(example("schedule.yaml", n -> at(n, "/spec/betaPolicy").put("mode", "adaptive"))))
                .singleElement().asString().contains("$.spec.betaPolicy.mode");
        assertThat(schedules.validate(example("schedule.yaml", n -> at(n, "/spec").put("historyLimit", 0))))
                .singleElement().asString().contains("$.spec.historyLimit");
        assertThat(schedules.validate(example("schedule.yaml", n -> at(n, "/spec").put("startingDeadlineSeconds", -5))))
                .singleElement().asString().contains("$.spec.startingDeadlineSeconds");
        assertThat(schedules.validate(example("schedule.yaml", n -> at(n, "/spec").remove("schedule"))))
                .singleElement().asString().contains("schedule");
        assertThat(schedules.validate(example("schedule.yaml", n -> at(n, "/spec/runTemplate/spec/klTarget").remove("unit"))))
                .singleElement().asString().contains("unit");
    }

    @Test
    void crossFieldRulesAreCelRulesForTheApiServer() throws IOException {
        JsonNode runSpec = runs().crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties");
        assertThat(runSpec.at("/beta/x-kubernetes-validations/0/rule").asText()).isEqualTo("has(self.value) != has(self.fromSchedule)");
        JsonNode scheduleSpec = schedules().crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties");
        assertThat(scheduleSpec.at("/runTemplate/properties/spec/x-kubernetes-validations/0/rule").asText()).isEqualTo("!has(self.beta)");
        assertThat(scheduleSpec.at("/betaPolicy/x-kubernetes-validations/0/message").asText()).isEqualTo("betaMin must be at most betaMax");
    }

    @Test
    void printerColumnsShowBetaKlAndPhaseAndStatusIsASubresource() throws IOException {
        assertThat(columns(runs().crd)).containsExactly("Beta=.status.betaUsed", "KL=.status.kl", "Phase=.status.phase",
                "Promoted=.status.promoted", "Reward=.status.reward", "Started=.status.startedAt");
        assertThat(columns(schedules().crd)).contains("Schedule=.spec.schedule", "Beta=.status.currentBeta",
                "Last KL=.status.lastKL", "Phase=.status.phase");
        assertThat(runs().crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
        assertThat(schedules().crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
    }

    @Test
    void deployHoldsTheCrdsAsGenerated() throws IOException {
        for (String kind : List.of("rlhfruns", "rlhfschedules")) {
            Path generated = GENERATED.resolve(kind + ".tether.dev-v1.yml");
            Path deployed = DIR.resolve("deploy/crds/" + kind + ".tether.dev.yaml");
            if (Boolean.getBoolean("tether.updateCrds")) {
                Files.copy(generated, deployed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            assertThat(Files.readString(deployed))
                    .as("%s is stale: run ./mvnw -pl operator -am verify -Dtether.updateCrds=true", deployed)
                    .isEqualTo(Files.readString(generated));
        }
    }

    private static List<String> columns(JsonNode crd) {
        List<String> out = new ArrayList<>();
        crd.at("/spec/versions/0/additionalPrinterColumns")
                .forEach(c -> out.add(c.get("name").asText() + "=" + c.get("jsonPath").asText()));
        return out;
    }
}
