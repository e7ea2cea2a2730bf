package dev.tether.operator.support;

import dev.tether.operator.api.v1alpha1.RLHFSchedule;
import dev.tether.operator.api.v1alpha1.RunPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The operator's Prometheus metrics: {@code tether_schedule_beta} and {@code tether_schedule_last_kl}
 * per schedule (read from the schedules' status, so they say what the resources say), and
 * {@code tether_runs_total} by result (promoted, gated, failed).
 */
public class OperatorMetrics {
    private final MeterRegistry registry;
    private final MultiGauge beta;
    private final MultiGauge lastKl;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.beta = MultiGauge.builder("tether.schedule.beta")
                .description("The β the schedule's next run starts with").register(registry);
        this.lastKl = MultiGauge.builder("tether.schedule.last.kl")
                .description("KL of the schedule's last finished run, in its target's unit").register(registry);
    }

    public void runFinished(String namespace, RunPhase phase) {
        String result = switch (phase) {
            case Succeeded -> "promoted";
            case Gated -> "gated";
            default -> "failed";
        };
        Counter.builder("tether.runs").description("Finished RLHF runs by result")
                .tags("namespace", namespace, "result", result).register(registry).increment();
    }

    /** Rewrites both gauges from every schedule the operator knows, so deleted schedules drop out. */
    public void schedules(Collection<RLHFSchedule> schedules) {
        List<MultiGauge.Row<?>> betas = new ArrayList<>();
        List<MultiGauge.Row<?>> kls = new ArrayList<>();
        for (RLHFSchedule s : schedules) {
            if (s.getStatus() == null) {
                continue;
            }
            Tags tags = Tags.of("namespace", s.getMetadata().getNamespace(), "schedule", s.getMetadata().getName());
            if (s.getStatus().currentBeta != null) {
                betas.add(MultiGauge.Row.of(tags, s.getStatus().currentBeta));
            }
            if (s.getStatus().lastKL != null) {
                String unit = s.getSpec() != null && s.getSpec().runTemplate != null && s.getSpec().runTemplate.spec != null
                        && s.getSpec().runTemplate.spec.klTarget != null && s.getSpec().runTemplate.spec.klTarget.unit != null
                        ? s.getSpec().runTemplate.spec.klTarget.unit.id() : "unknown";
                kls.add(MultiGauge.Row.of(tags.and("unit", unit), s.getStatus().lastKL));
            }
        }
        beta.register(betas, true);
        lastKl.register(kls, true);
    }
}
