package dev.tether.operator.app;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A mock API server (CRUD mode, tether's CRDs installed) for the Quarkus app to connect to. */
public class MockApiServerResource implements QuarkusTestResourceLifecycleManager {
    static KubernetesMockServer server;
    static KubernetesClient client;

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesMixedDispatcher(new HashMap<>()), false);
        server.init();
        client = server.createClient();
        Path generated = Path.of(System.getProperty("tether.operator.dir", "."), "target/classes/META-INF/fabric8");
        for (String file : List.of("rlhfruns.tether.dev-v1.yml", "rlhfschedules.tether.dev-v1.yml")) {
            try (InputStream in = Files.newInputStream(generated.resolve(file))) {
                client.resource(Serialization.unmarshal(in, CustomResourceDefinition.class)).create();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        // Argo's Workflow CRD: the operator watches Workflows and does not start without them.
        client.resource(dev.tether.operator.it.OperatorTestBase.argoCrd("Workflow", "workflows")).create();
        return Map.of("tether.operator.kubernetes-master", client.getMasterUrl().toString(),
                "tether.operator.schedule-max-wait", "PT1S");
    }

    @Override
    public void stop() {
        client.close();
        server.destroy();
    }
}
