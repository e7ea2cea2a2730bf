package dev.tether.operator.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Quarkus app: starts the operator when the app starts, stops it when it stops. Quarkus serves
 * the metrics ({@code /q/metrics}) and health probes ({@code /q/health}) on its HTTP port.
 */
@ApplicationScoped
public class OperatorApp {

    @ConfigProperty(name = "tether.operator.namespaces", defaultValue = " ")
    String namespaces;

    @ConfigProperty(name = "tether.operator.leader-election.enabled", defaultValue = "false")
    boolean leaderElection;

    @ConfigProperty(name = "tether.operator.leader-election.lease-name", defaultValue = "tether-operator")
    String leaseName;

    /** The Deployment sets it from the downward API (metadata.namespace). */
    @ConfigProperty(name = "tether.operator.leader-election.lease-namespace")
    Optional<String> leaseNamespace;

    /** The pod's name (HOSTNAME in a pod): the lease holder's identity and the events' reporting instance. */
    @ConfigProperty(name = "tether.operator.instance", defaultValue = "tether-operator")
    String instance;

    @ConfigProperty(name = "tether.operator.schedule-max-wait", defaultValue = "PT5M")
    Duration scheduleMaxWait;

    /** For tests of the app itself; in a pod the service account's in-cluster config is used. */
    @ConfigProperty(name = "tether.operator.kubernetes-master")
    Optional<String> master;

    private KubernetesClient client;
    private Operator operator;

    void start(@Observes StartupEvent event, MeterRegistry registry) {
        Config config = master.map(url -> new ConfigBuilder(Config.empty())
                .withMasterUrl(url).withTrustCerts(true).withNamespace("default").build())
                .orElseGet(() -> Config.autoConfigure(null));
        client = new KubernetesClientBuilder().withConfig(config).build();
        Set<String> watched = Arrays.stream(namespaces.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        Optional<LeaderElectionConfiguration> election = leaderElection
                ? Optional.of(new LeaderElectionConfiguration(leaseName, leaseNamespace.orElse(null), instance))
                : Optional.empty();
        TetherOperator.Settings settings = new TetherOperator.Settings(watched, election, scheduleMaxWait,
                TetherOperator.Settings.defaults(instance).retry(), instance);
        operator = TetherOperator.create(client, Clock.systemUTC(), registry, settings);
        operator.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (operator != null) {
            operator.stop();
        }
        if (client != null) {
            client.close();
        }
    }
}
