package dev.tether.core.kl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The two units KL is reported in. They differ by the response length (~10–100×), so a target or
 * a budget without its unit is meaningless; tether never stores one without the other.
 */
public enum KlUnit {
    /** Σ over response tokens, mean over samples: nats per sequence (TRL, Ziegler et al.: target 6). */
    KL_SEQ("kl_seq"),
    /** Mean over response tokens: nats per token (veRL, OpenRLHF). */
    KL_TOKEN("kl_token");

    private final String id;

    KlUnit(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static KlUnit parse(String value) {
        for (KlUnit u : values()) {
            if (u.id.equals(value)) {
                return u;
            }
        }
        throw new IllegalArgumentException("KL unit: expected kl_seq or kl_token, got '" + value + "'");
    }
}
