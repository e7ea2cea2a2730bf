package dev.tether.operator.support;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes events, the audit trail {@code kubectl describe} shows: one for each decision (run
 * started, β changed and why, run gated). An event that cannot be written is logged, never retried:
 * the decision itself is already in the status.
 */
public class EventRecorder {
    public static final String COMPONENT = "tether-operator";
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final String instance;
    private final AtomicLong sequence = new AtomicLong();

    public EventRecorder(KubernetesClient client, Clock clock, String instance) {
        this.client = client;
        this.clock = clock;
        this.instance = instance;
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String now = Times.format(clock.instant());
        // Unique per object and moment, as client-go names them (name.hex-timestamp).
        String name = about.getMetadata().getName() + "."
                + Long.toHexString(clock.millis() * 1000 + sequence.incrementAndGet() % 1000);
        try {
            client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(about.getMetadata().getNamespace()).endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion(about.getApiVersion()).withKind(about.getKind())
                    .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
                    .withUid(about.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(truncate(message))
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT).withReportingInstance(instance)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warn("could not record event {} on {}/{}: {}", reason, about.getKind(), about.getMetadata().getName(),
                    e.getMessage());
        }
    }

    /** The API server refuses event messages over 1 kB. */
    private static String truncate(String message) {
        return message.length() <= 1024 ? message : message.substring(0, 1021) + "...";
    }
}
