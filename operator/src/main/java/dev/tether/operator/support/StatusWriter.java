package dev.tether.operator.support;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.Objects;

/**
 * Writes a custom resource's status with optimistic locking (its resourceVersion), and only when it
 * changed. A conflict (409) is not patched over with a decision made from stale data: it fails the
 * reconcile, which the framework retries from a fresh read. The written resource goes into the
 * framework's cache, so the next reconcile never sees the status from before this write.
 */
public final class StatusWriter {
    private StatusWriter() {
    }

    /** @return true if the status was written, false if it already was so */
    public static <S, P extends CustomResource<?, S>> boolean write(P primary, S newStatus, Context<P> context) {
        if (Objects.equals(Serialization.asJson(primary.getStatus()), Serialization.asJson(newStatus))) {
            return false;
        }
        PrimaryUpdateAndCacheUtils.updateAndCacheResource(primary, context,
                p -> {
                    P copy = context.getControllerConfiguration().getConfigurationService().getResourceCloner().clone(p);
                    copy.setStatus(newStatus);
                    return copy;
                },
                p -> context.getClient().resource(p).updateStatus(),
                0, PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_TIMEOUT_MILLIS,
                PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_POLL_PERIOD_MILLIS);
        return true;
    }
}
