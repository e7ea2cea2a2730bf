package dev.tether.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.core.kl.KlUnit;
import dev.tether.operator.api.v1alpha1.BudgetSpec;
import dev.tether.operator.api.v1alpha1.DataSpec;
import dev.tether.operator.api.v1alpha1.KlTargetSpec;
import dev.tether.operator.api.v1alpha1.ModelsSpec;
import dev.tether.operator.api.v1alpha1.RLHFRun;
import dev.tether.operator.api.v1alpha1.RLHFRunSpec;
import dev.tether.operator.api.v1alpha1.RLHFSchedule;
import dev.tether.operator.api.v1alpha1.WorkflowTemplateRef;
import dev.tether.operator.app.TetherOperator;
import dev.tether.operator.run.Argo;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * API-server tier: the operator against Fabric8's mock API server in CRUD mode, with the generated
 * CRDs installed, Argo simulated by {@link FakeArgo}, and time by {@link MutableClock}.
 */
@EnableKubernetesMockClient(crud = true)
public abstract class OperatorTestBase {
    protected static final String NS = "ml";
    protected static final String TEMPLATE = "tether-rlhf-ppo";
    protected static final Duration WAIT = Duration.ofSeconds(15);

    protected KubernetesMockServer server;
    /** The test's own client: what a user with kubectl, or Argo, does. */
    protected KubernetesClient client;
    protected FakeArgo argo;
    protected MutableClock clock;
    protected SimpleMeterRegistry metrics;
    /** "METHOD path?query" of every request the operator (not the test) sent. */
    protected final ConcurrentLinkedQueue<String> operatorRequests = new ConcurrentLinkedQueue<>();

    private Operator operator;
    private KubernetesClient operatorClient;

    @BeforeEach
    void installCrdsAndTemplate() throws Exception {
        Path generated = Path.of(System.getProperty("tether.operator.dir", "."), "target/classes/META-INF/fabric8");
        for (String file : List.of("rlhfruns.tether.dev-v1.yml", "rlhfschedules.tether.dev-v1.yml")) {
            try (InputStream in = Files.newInputStream(generated.resolve(file))) {
                client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
            }
        }
        client.resource(argoCrd("Workflow", "workflows")).create();
        client.resource(argoCrd("WorkflowTemplate", "workflowtemplates")).create();
        createTemplate(TEMPLATE, List.of("beta", "kl_target", "kl_target_unit", "policy_key", "prompts_key",
                "reward_model_key"), Map.of("iterations", "4", "reference_policy_key", ""));
        argo = new FakeArgo(client, NS);
        // The mock API server stamps creationTimestamp with real time; the schedule counts ticks from there.
        clock = new MutableClock(Instant.now());
        metrics = new SimpleMeterRegistry();
    }

    @AfterEach
    void stopOperatorAndCheckItsRights() {
        stop();
        assertThat(RbacCheck.denied(RbacCheck.clusterRole(), operatorRequests))
                .as("requests deploy/rbac/clusterrole.yaml does not allow").isEmpty();
        assertThat(operatorRequests).as("the operator talked to the API server").isNotEmpty();
    }

    /** Argo's CRDs as the mock needs them: names and scope; no status subresource (Argo's have none). */
    public static CustomResourceDefinition argoCrd(String kind, String plural) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + Argo.GROUP).endMetadata()
                .withNewSpec().withGroup(Argo.GROUP).withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
                .addNewVersion().withName(Argo.VERSION).withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build();
    }

    /** A WorkflowTemplate declaring {@code required} parameters (no default) and {@code optional} ones. */
    protected void createTemplate(String name, List<String> required, Map<String, String> optional) {
        List<Map<String, Object>> parameters = new java.util.ArrayList<>();
        required.forEach(p -> parameters.add(Map.of("name", p)));
        optional.forEach((p, v) -> parameters.add(Map.of("name", p, "value", v)));
        client.genericKubernetesResources(Argo.WORKFLOW_TEMPLATES).inNamespace(NS).resource(
                new GenericKubernetesResourceBuilder().withApiVersion("argoproj.io/v1alpha1").withKind("WorkflowTemplate")
                        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                        .addToAdditionalProperties("spec", Map.of("entrypoint", "rlhf",
                                "arguments", Map.of("parameters", parameters)))
                        .build()).create();
    }

    protected void start() {
        operatorClient = server.createClient(b -> b.withHttpClientBuilderConsumer(h -> h.addOrReplaceInterceptor(
                "record", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        operatorRequests.add(request.method() + " " + request.uri().getRawPath()
                                + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()));
                    }
                })));
        GenericRetry fastRetry = new GenericRetry().setMaxAttempts(10).setInitialInterval(50).setIntervalMultiplier(1.5)
                .setMaxInterval(500);
        metrics = new SimpleMeterRegistry(); // one registry per operator, as one per process
        operator = TetherOperator.create(operatorClient, clock, metrics, new TetherOperator.Settings(
                Set.of(NS), Optional.empty(), Duration.ofMillis(100), fastRetry, "test"));
        operator.start();
    }

    /** As a kill would leave it, minus the process: informers and executors gone, resources as they were. */
    protected void stop() {
        if (operator != null) {
            operator.stop();
            operator = null;
            operatorClient.close();
        }
    }

    /** A schedule's run template: a run spec without β. */
    public static RLHFRunSpec templateSpec() {
        return runSpec(6.0, 12.0);
    }

    protected static RLHFRunSpec runSpec(double klTarget, double maxKL) {
        RLHFRunSpec spec = new RLHFRunSpec();
        spec.workflowTemplateRef = new WorkflowTemplateRef(TEMPLATE);
        spec.models = new ModelsSpec();
        spec.models.policyUri = "s3://models/policies/sft-tiny";
        spec.models.rewardModelUri = "s3://models/reward/tiny-rm";
        spec.data = new DataSpec();
        spec.data.promptsUri = "s3://data/prompts/reviews.jsonl";
        spec.klTarget = new KlTargetSpec(klTarget, KlUnit.KL_SEQ);
        spec.budget = new BudgetSpec();
        spec.budget.maxKL = maxKL;
        spec.parameters = Map.of("iterations", "8");
        return spec;
    }

    protected RLHFRun run(String name) {
        return client.resources(RLHFRun.class).inNamespace(NS).withName(name).get();
    }

    protected RLHFSchedule schedule(String name) {
        return client.resources(RLHFSchedule.class).inNamespace(NS).withName(name).get();
    }

    protected RLHFRun awaitRun(String name, java.util.function.Predicate<RLHFRun> until) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            RLHFRun r = run(name);
            return r != null && until.test(r);
        });
        return run(name);
    }

    protected RLHFSchedule awaitSchedule(String name, java.util.function.Predicate<RLHFSchedule> until) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            RLHFSchedule s = schedule(name);
            return s != null && until.test(s);
        });
        return schedule(name);
    }

    /** Events are written just after the status they report on, so assertions about them wait for them. */
    protected static void eventually(org.awaitility.core.ThrowingRunnable assertion) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(assertion);
    }

    /** Events about one object, as {@code kubectl describe} lists them: "Type Reason: message". */
    protected List<String> events(String name) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .sorted(java.util.Comparator.comparing(Event::getMetadata, java.util.Comparator.comparing(m -> m.getName())))
                .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage())
                .collect(Collectors.toList());
    }
}
