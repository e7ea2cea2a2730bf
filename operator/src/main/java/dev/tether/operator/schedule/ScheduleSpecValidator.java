package dev.tether.operator.schedule;

import dev.tether.core.beta.AcrossRunBeta;
import dev.tether.core.beta.KlTarget;
import dev.tether.core.kl.KlUnit;
import dev.tether.operator.api.v1alpha1.BetaMode;
import dev.tether.operator.api.v1alpha1.BetaPolicySpec;
import dev.tether.operator.api.v1alpha1.RLHFScheduleSpec;
import dev.tether.operator.run.RunSpecValidator;
import dev.tether.operator.support.SpecErrors;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** Checks a schedule's spec, its run template included, and builds its settings. */
public final class ScheduleSpecValidator {

    /** Run names are the schedule's name plus "-" and the tick in minutes (8 digits), within 63 characters. */
    public static final int MAX_NAME_LENGTH = 52;

    public record Result(ScheduleSettings settings, SpecErrors errors) {
        public boolean valid() {
            return settings != null;
        }
    }

    private ScheduleSpecValidator() {
    }

    public static Result validate(String name, RLHFScheduleSpec spec) {
        SpecErrors errors = new SpecErrors();
        if (name.length() > MAX_NAME_LENGTH) {
            errors.add("metadata.name", "expected at most " + MAX_NAME_LENGTH + " characters (run names add 9), got "
                    + name.length());
        }
        if (spec == null) {
            errors.add("spec", "expected a spec, got nothing");
            return new Result(null, errors);
        }
        ZoneId zone = ZoneOffset.UTC;
        if (spec.timeZone != null) {
            try {
                zone = ZoneId.of(spec.timeZone);
            } catch (DateTimeException e) {
                errors.add("spec.timeZone", "expected an IANA time zone such as Europe/Paris, got '" + spec.timeZone + "'");
            }
        }
        CronSchedule cron = null;
        try {
            cron = CronSchedule.parse(spec.schedule, zone);
        } catch (IllegalArgumentException e) {
            errors.add("spec.schedule", e.getMessage());
        }
        if (spec.startingDeadlineSeconds != null && spec.startingDeadlineSeconds < 0) {
            errors.add("spec.startingDeadlineSeconds", "expected ≥ 0, got " + spec.startingDeadlineSeconds);
        }
        int historyLimit = Objects.requireNonNullElse(spec.historyLimit, ScheduleSettings.DEFAULT_HISTORY_LIMIT);
        if (historyLimit < 1 || historyLimit > 100) {
            errors.add("spec.historyLimit", "expected 1–100, got " + historyLimit);
        }
        int jumpWindow = Objects.requireNonNullElse(spec.jumpWindow, ScheduleSettings.DEFAULT_JUMP_WINDOW);
        if (jumpWindow < 1 || jumpWindow > 100) {
            errors.add("spec.jumpWindow", "expected 1–100, got " + jumpWindow);
        }

        RunSpecValidator.Result template = RunSpecValidator.validate(
                spec.runTemplate == null ? null : spec.runTemplate.spec, "spec.runTemplate.spec", false);
        errors.addAll(template.errors());

        AcrossRunBeta policy = null;
        BetaPolicySpec b = spec.betaPolicy;
        if (b == null || b.mode == null || b.initialBeta == null) {
            errors.add("spec.betaPolicy", "expected mode (fixed or carry) and initialBeta");
        } else {
            try {
                // With a broken template, check the policy against a stand-in target so both get reported.
                KlTarget target = template.valid() ? template.settings().target() : new KlTarget(1, KlUnit.KL_SEQ);
                policy = new AcrossRunBeta(
                        b.mode == BetaMode.CARRY ? AcrossRunBeta.Mode.CARRY : AcrossRunBeta.Mode.FIXED,
                        b.initialBeta, target,
                        Objects.requireNonNullElse(b.gain, ScheduleSettings.DEFAULT_GAIN),
                        Objects.requireNonNullElse(b.betaMin, ScheduleSettings.DEFAULT_BETA_MIN),
                        Objects.requireNonNullElse(b.betaMax, ScheduleSettings.DEFAULT_BETA_MAX));
            } catch (IllegalArgumentException e) {
                // core names the setting ("betaMin: expected ≤ betaMax …"); say where it sits in the spec
                errors.add("spec.betaPolicy." + e.getMessage().substring(0, e.getMessage().indexOf(':')),
                        e.getMessage().substring(e.getMessage().indexOf(':') + 2));
            }
        }
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(new ScheduleSettings(cron,
                Objects.requireNonNullElse(spec.concurrencyPolicy, ScheduleSettings.DEFAULT_CONCURRENCY),
                spec.startingDeadlineSeconds, historyLimit, jumpWindow, Boolean.TRUE.equals(spec.suspend), policy,
                template.settings()), errors);
    }
}
