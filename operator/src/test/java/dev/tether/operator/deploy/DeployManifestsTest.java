package dev.tether.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.operator.api.v1alpha1.RLHFRun;
import dev.tether.operator.api.v1alpha1.RLHFSchedule;
import dev.tether.operator.it.RbacCheck;
import dev.tether.operator.run.RunSpecValidator;
import dev.tether.operator.schedule.ScheduleSpecValidator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/ as the API server would take it: every document is a known kind whose fields all exist
 * (an unknown or misspelt field lands in a model's additionalProperties, which must stay empty, as
 * kubectl's strict field validation would demand), and the kustomization lists files that exist.
 */
class DeployManifestsTest {
    private static final Path DEPLOY = CrdSchemaTest.DIR.resolve("deploy");

    private static List<Path> kustomized() throws IOException {
        JsonNode k = CrdSchema.YAML.readTree(DEPLOY.resolve("kustomization.yaml").toFile());
        List<Path> files = new ArrayList<>();
        k.get("resources").forEach(r -> files.add(DEPLOY.resolve(r.asText())));
        return files;
    }

    private static List<HasMetadata> documents() throws IOException {
        List<HasMetadata> docs = new ArrayList<>();
        for (Path file : kustomized()) {
            Object parsed = Serialization.unmarshal(Files.readString(file));
            if (parsed instanceof List<?> list) {
                list.forEach(d -> docs.add((HasMetadata) d));
            } else {
                docs.add((HasMetadata) parsed);
            }
        }
        return docs;
    }

    @Test
    void theKustomizationListsEveryManifestAndEveryOneExists() throws IOException {
        List<Path> files = kustomized();
        assertThat(files).allSatisfy(f -> assertThat(f).exists());
        try (var all = Files.walk(DEPLOY)) {
            List<Path> yaml = all.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).toList();
            assertThat(files).containsExactlyInAnyOrderElementsOf(yaml);
        }
    }

    @Test
    void everyDocumentIsAKnownKindWithNoUnknownField() throws IOException {
        List<HasMetadata> docs = documents();
        assertThat(docs).extracting(HasMetadata::getKind).containsExactlyInAnyOrder("Namespace",
                "CustomResourceDefinition", "CustomResourceDefinition", "ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service");
        for (HasMetadata doc : docs) {
            assertThat(doc.getClass().getPackageName()).as(doc.getKind()).startsWith("io.fabric8.kubernetes.api.model");
            assertThat(unknownFields(doc, doc.getKind(), new IdentityHashMap<>())).as("unknown fields").isEmpty();
        }
    }

    @Test
    void theOperatorRunsNonRootOnAReadOnlyFilesystemWithLeaderElection() throws IOException {
        Deployment d = (Deployment) documents().stream().filter(x -> x instanceof Deployment).findFirst().orElseThrow();
        var pod = d.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getServiceAccountName()).isEqualTo("tether-operator");
        assertThat(d.getSpec().getReplicas()).isGreaterThan(1);
        assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("TETHER_OPERATOR_LEADER_ELECTION_ENABLED") && e.getValue().equals("true"));
        assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("POD_NAMESPACE") && e.getValueFrom() != null);
        assertThat(c.getEnv()).as("no secret in the Deployment").allMatch(e -> e.getValueFrom() == null
                || e.getValueFrom().getSecretKeyRef() == null);
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(c.getPorts()).anyMatch(p -> p.getContainerPort() == 8080);
        assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
    }

    @Test
    void theRolesGrantNoWildcardAndNoSecret() throws IOException {
        ClusterRole role = RbacCheck.clusterRole();
        Role leases = (Role) documents().stream().filter(x -> x instanceof Role).findFirst().orElseThrow();
        for (var rule : concat(role.getRules(), leases.getRules())) {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*", "secrets");
            assertThat(rule.getApiGroups()).doesNotContain("*");
        }
        assertThat(leases.getRules()).singleElement().satisfies(r -> assertThat(r.getResources()).containsExactly("leases"));
        // The checker used on every API-server test run: it must see what is and is not granted.
        assertThat(RbacCheck.denied(role, List.of("DELETE /apis/tether.dev/v1alpha1/namespaces/ml/rlhfruns/r1",
                "PUT /apis/tether.dev/v1alpha1/namespaces/ml/rlhfschedules/s/status",
                "GET /apis/argoproj.io/v1alpha1/namespaces/ml/workflows?labelSelector=tether.dev%2Frun&watch=true"))).isEmpty();
        assertThat(RbacCheck.denied(role, List.of("GET /api/v1/namespaces/ml/secrets/s3",
                "PUT /apis/tether.dev/v1alpha1/namespaces/ml/rlhfschedules/s",
                "DELETE /apis/argoproj.io/v1alpha1/namespaces/ml/workflows/w"))).hasSize(3);
    }

    @Test
    void theExamplesPassTheOperatorsOwnChecksAndUseThePipelinesParameters() throws IOException {
        RLHFRun run = Serialization.unmarshal(Files.readString(CrdSchemaTest.DIR.resolve("examples/run.yaml")), RLHFRun.class);
        RLHFSchedule schedule = Serialization.unmarshal(Files.readString(CrdSchemaTest.DIR.resolve("examples/schedule.yaml")),
                RLHFSchedule.class);
        var runSettings = RunSpecValidator.validate(run.getSpec(), "spec", true);
        assertThat(runSettings.errors().all()).isEmpty();
        var scheduleSettings = ScheduleSpecValidator.validate(schedule.getMetadata().getName(), schedule.getSpec());
        assertThat(scheduleSettings.errors().all()).isEmpty();
        // The contract with the pipeline: the WorkflowTemplate that `tether compile` generates
        // accepts exactly what the operator submits for the examples, and nothing it needs is missing.
        io.fabric8.kubernetes.api.model.GenericKubernetesResource template = Serialization.unmarshal(
                Files.readString(CrdSchemaTest.DIR.resolve("../pipeline-defs/argo/rlhf-ppo-workflowtemplate.yaml")),
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
        assertThat(run.getSpec().workflowTemplateRef.name).isEqualTo(template.getMetadata().getName());
        assertThat(schedule.getSpec().runTemplate.spec.workflowTemplateRef.name).isEqualTo(template.getMetadata().getName());
        assertThat(dev.tether.operator.run.TemplateCheck.check(template,
                dev.tether.operator.run.WorkflowFactory.parameters(runSettings.settings(), 0.1).keySet()).all()).isEmpty();
        assertThat(dev.tether.operator.run.TemplateCheck.check(template,
                dev.tether.operator.run.WorkflowFactory.parameters(scheduleSettings.settings().runTemplate(), 0.1).keySet()).all()).isEmpty();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Paths of non-empty additionalProperties anywhere in a Fabric8 model tree. */
    private static List<String> unknownFields(Object node, String path, Map<Object, Boolean> seen) {
        List<String> found = new ArrayList<>();
        if (node == null || seen.put(node, true) != null) {
            return found;
        }
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                found.addAll(unknownFields(list.get(i), path + "[" + i + "]", seen));
            }
            return found;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> found.addAll(unknownFields(v, path + "." + k, seen)));
            return found;
        }
        if (!(node instanceof KubernetesResource)) {
            return found;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = m.invoke(node);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add(path + ": " + extra.keySet());
                    }
                } else {
                    found.addAll(unknownFields(value, path + "." + m.getName().substring(3), seen));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }
}
