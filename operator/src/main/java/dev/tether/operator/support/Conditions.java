package dev.tether.operator.support;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Status conditions as Kubernetes defines them (metav1.Condition). lastTransitionTime moves only when
 * the status flips, so a reconcile that decides the same thing writes the same status and no patch is sent.
 */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {
    }

    public static void set(List<Condition> conditions, String type, String status, String reason, String message,
            Long generation, Instant now) {
        Optional<Condition> existing = find(conditions, type);
        Condition c = existing.orElseGet(() -> {
            Condition fresh = new Condition();
            fresh.setType(type);
            conditions.add(fresh);
            return fresh;
        });
        if (!status.equals(c.getStatus()) || c.getLastTransitionTime() == null) {
            c.setLastTransitionTime(Times.format(now));
        }
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setObservedGeneration(generation);
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    public static String reason(List<Condition> conditions, String type) {
        return find(conditions, type).map(Condition::getReason).orElse(null);
    }
}
