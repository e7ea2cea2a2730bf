package dev.tether.operator.app;

import dev.tether.operator.run.RunReconciler;
import dev.tether.operator.schedule.ScheduleReconciler;
import dev.tether.operator.support.EventRecorder;
import dev.tether.operator.support.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The operator itself, without Quarkus: both reconcilers on one Java Operator SDK {@link Operator}.
 * The Quarkus app starts it in production; tests start it against Fabric8's mock API server, with a
 * clock they move by hand.
 */
public final class TetherOperator {

    /**
     * @param namespaces to watch; empty for all
     * @param leaderElection present when more than one replica may run
     * @param scheduleMaxWait the longest a schedule sleeps between looks at the clock
     * @param retry how failed reconciles (a 409, an API error) are retried
     * @param instance this replica's name, for events
     */
    public record Settings(Set<String> namespaces, Optional<LeaderElectionConfiguration> leaderElection,
            Duration scheduleMaxWait, GenericRetry retry, String instance) {

        public static Settings defaults(String instance) {
            return new Settings(Set.of(), Optional.empty(), Duration.ofMinutes(5),
                    GenericRetry.defaultLimitedExponentialRetry(), instance);
        }
    }

    private TetherOperator() {
    }

    public static Operator create(KubernetesClient client, Clock clock, MeterRegistry registry, Settings settings) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // Status is written with plain updates (optimistic locking), never server-side apply.
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    // CRDs are installed from deploy/, and reading them would need cluster-wide rights.
                    .checkingCRDAndValidateLocalModel(false);
            settings.leaderElection().ifPresent(o::withLeaderElectionConfiguration);
        });
        EventRecorder events = new EventRecorder(client, clock, settings.instance());
        OperatorMetrics metrics = new OperatorMetrics(registry);
        operator.register(new RunReconciler(clock, events, metrics), c -> {
            c.withRetry(settings.retry());
            if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
            }
        });
        operator.register(new ScheduleReconciler(clock, events, metrics, settings.scheduleMaxWait()), c -> {
            c.withRetry(settings.retry());
            if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
            }
        });
        return operator;
    }
}
