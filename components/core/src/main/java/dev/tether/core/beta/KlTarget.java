package dev.tether.core.beta;

import dev.tether.core.kl.KlUnit;

/** A KL target always carries its unit: 6 nats per sequence and 6 nats per token are worlds apart. */
public record KlTarget(double value, KlUnit unit) {
    public KlTarget {
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException("kl_target: expected a finite number > 0, got " + value);
        }
        if (unit == null) {
            throw new IllegalArgumentException("kl_target_unit: expected kl_seq or kl_token, got nothing");
        }
    }

    @Override
    public String toString() {
        return value + " " + unit.id();
    }
}
