package dev.tether.operator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.operator.api.v1alpha1.BetaMode;
import dev.tether.operator.api.v1alpha1.BetaPolicySpec;
import dev.tether.operator.api.v1alpha1.RLHFSchedule;
import dev.tether.operator.api.v1alpha1.RLHFScheduleSpec;
import dev.tether.operator.api.v1alpha1.RunTemplate;
import dev.tether.operator.it.OperatorTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Cluster-less app tier: the Quarkus app as its image runs it, against a mock API server. It starts
 * the operator, reconciles a schedule, and serves the schedule's β on /q/metrics and its probes.
 */
@QuarkusTest
@QuarkusTestResource(MockApiServerResource.class)
class OperatorAppTest {

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAppReconcilesAScheduleAndServesItsBetaAsAPrometheusMetric() throws Exception {
        RLHFSchedule s = new RLHFSchedule();
        s.getMetadata().setName("from-the-app");
        s.getMetadata().setNamespace("ml");
        s.setSpec(new RLHFScheduleSpec());
        s.getSpec().schedule = "@daily";
        s.getSpec().betaPolicy = new BetaPolicySpec();
        s.getSpec().betaPolicy.mode = BetaMode.CARRY;
        s.getSpec().betaPolicy.initialBeta = 0.07;
        s.getSpec().runTemplate = new RunTemplate();
        s.getSpec().runTemplate.spec = OperatorTestBase.templateSpec();
        MockApiServerResource.client.resource(s).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(metrics).body())
                .contains("tether_schedule_beta{namespace=\"ml\",schedule=\"from-the-app\"} 0.07"));
        assertThat(get(ready).statusCode()).isEqualTo(200);
    }
}
