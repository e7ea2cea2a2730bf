package dev.tether.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Owner references: what the operator creates is owned by the resource it was created for. */
public final class Owners {
    private Owners() {
    }

    /**
     * A controller reference, without blockOwnerDeletion: setting that needs update rights on the
     * owner's finalizers, and nothing here depends on foreground deletion.
     */
    public static OwnerReference controllerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true)
                .build();
    }

    public static boolean isOwnedBy(HasMetadata child, HasMetadata owner) {
        String uid = owner.getMetadata().getUid();
        return uid != null && child.getMetadata().getOwnerReferences() != null
                && child.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()));
    }
}
