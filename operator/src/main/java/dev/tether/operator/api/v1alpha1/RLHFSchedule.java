package dev.tether.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** RLHF runs on a cron, with β carried from run to run and a bounded history. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames("rlhfsched")
// The generator orders columns by JSON path, so Age (from metadata) is left out rather than shown first.
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Beta", jsonPath = ".status.currentBeta", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Last KL", jsonPath = ".status.lastKL", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last Schedule", jsonPath = ".status.lastScheduleTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Next", jsonPath = ".status.nextScheduleTime", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
public class RLHFSchedule extends CustomResource<RLHFScheduleSpec, RLHFScheduleStatus> implements Namespaced {
}
