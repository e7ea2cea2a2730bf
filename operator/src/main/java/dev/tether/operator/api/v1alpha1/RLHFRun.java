package dev.tether.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One KL-penalized RLHF pipeline run: an Argo Workflow from a WorkflowTemplate, with β, a KL target and a budget. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames("rlhfrun")
// The generator orders columns by JSON path, so every column reads from status (Age would come first).
@AdditionalPrinterColumn(name = "Beta", jsonPath = ".status.betaUsed", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "KL", jsonPath = ".status.kl", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Reward", jsonPath = ".status.reward", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Promoted", jsonPath = ".status.promoted", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Started", jsonPath = ".status.startedAt", type = AdditionalPrinterColumn.Type.DATE)
public class RLHFRun extends CustomResource<RLHFRunSpec, RLHFRunStatus> implements Namespaced {
}
