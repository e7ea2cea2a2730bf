package dev.tether.pipeline.compile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.core.artifact.CanonicalJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Kubeflow Pipelines would reject in a compiled spec, found here without a KFP server:
 * <ul>
 *   <li>on upload (backend/src/apiserver/template/v2_template.go): one pipeline spec per file,
 *       fields of {@code ml_pipelines.PipelineSpec} only (protojson rejects unknown fields),
 *       {@code schemaVersion} 2.1.0, a non-empty DNS-1123 {@code pipelineInfo.name}, a
 *       {@code root};</li>
 *   <li>at run time, when the driver resolves each task: {@code deploymentSpec} is a
 *       {@code PipelineDeploymentConfig} (unknown fields fail there), every {@code componentRef}
 *       and {@code executorLabel} resolves, every placeholder names a declared input or output,
 *       every task input is declared by its component and comes from a pipeline parameter or an
 *       upstream output of the same type that the task waits for, required inputs are given,
 *       the DAG has no cycle, containers name a command (KFP's launcher runs
 *       {@code command + args}; the image entrypoint is not used);</li>
 *   <li>and one KFP takes but then mishandles: an artifact type {@code system.*} that is not one of
 *       KFP's own (a typo like {@code system.Html} becomes a new type in ML Metadata, and the UI
 *       renders nothing for it).</li>
 * </ul>
 * The field allow-lists follow kubeflow/pipelines api/v2alpha1/pipeline_spec.proto (JSON names).
 */
public final class KfpSpecCheck {
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern IO_PLACEHOLDER = Pattern.compile(
            "\\$\\.(inputs|outputs)\\.(parameters|artifacts)\\['([^']+)'](?:\\.(path|uri|output_file))?");
    private static final Pattern DURATION = Pattern.compile("[0-9]+(\\.[0-9]+)?s");
    private static final int MAX_DESCRIPTION = 1024;
    /** The system types of the KFP SDK (kfp/dsl/types/artifact_types.py), which the UI knows how to show. */
    private static final Set<String> SYSTEM_ARTIFACT_TYPES = Set.of("system.Artifact", "system.Dataset", "system.Model", "system.Metrics",
            "system.ClassificationMetrics", "system.SlicedClassificationMetrics", "system.HTML", "system.Markdown");
    private static final Set<String> PARAMETER_TYPES = Set.of("NUMBER_DOUBLE", "NUMBER_INTEGER", "STRING", "BOOLEAN", "LIST", "STRUCT",
            "TASK_FINAL_STATUS");

    private final List<String> problems = new ArrayList<>();

    private KfpSpecCheck() {}

    /** Every problem in the YAML text of a compiled spec, each naming its field; empty when KFP would take it. */
    public static List<String> problems(String yaml) {
        KfpSpecCheck c = new KfpSpecCheck();
        List<JsonNode> docs;
        try {
            docs = Yaml.readAll(yaml);
        } catch (RuntimeException e) {
            return List.of(e.getMessage());
        }
        if (docs.size() != 1) {
            return List.of("expected one YAML document (the pipeline spec), found " + docs.size());
        }
        c.check(docs.get(0));
        return c.problems;
    }

    public static List<String> problems(JsonNode spec) {
        KfpSpecCheck c = new KfpSpecCheck();
        c.check(spec);
        return c.problems;
    }

    private void check(JsonNode spec) {
        PIPELINE_SPEC.check("", spec, problems);
        if (!problems.isEmpty()) {
            return; // the checks below assume the structure
        }
        if (!"2.1.0".equals(spec.path("schemaVersion").asText())) {
            problems.add("schemaVersion: KFP only supports 2.1.0, found '" + spec.path("schemaVersion").asText() + "'");
        }
        String name = spec.path("pipelineInfo").path("name").asText("");
        if (name.isEmpty()) {
            problems.add("pipelineInfo.name: expected a name, found none");
        } else if (!DNS_SUBDOMAIN.matcher(name).matches()) {
            problems.add("pipelineInfo.name: expected lower case letters, digits, '-' and '.', starting and ending with a letter or digit, found '"
                    + name + "'");
        }
        if (!spec.path("root").isObject()) {
            problems.add("root: expected the root component, found none");
            return;
        }
        JsonNode components = spec.path("components");
        JsonNode executors = spec.path("deploymentSpec").path("executors");
        Set<String> usedComponents = new HashSet<>();
        Set<String> usedExecutors = new HashSet<>();
        for (Map.Entry<String, JsonNode> c : components.properties()) {
            checkComponent("components." + c.getKey(), c.getValue(), executors, usedExecutors);
        }
        checkComponent("root", spec.path("root"), executors, usedExecutors);
        if (!spec.path("root").path("dag").isObject()) {
            problems.add("root.dag: expected the pipeline's DAG, found none");
        }
        checkDag("root", spec.path("root"), components, usedComponents);
        for (Map.Entry<String, JsonNode> c : components.properties()) {
            if (c.getValue().has("dag")) {
                checkDag("components." + c.getKey(), c.getValue(), components, usedComponents);
            }
        }
        for (String c : names(components)) {
            if (!usedComponents.contains(c)) {
                problems.add("components." + c + ": no task uses it");
            }
        }
        for (String e : names(executors)) {
            if (!usedExecutors.contains(e)) {
                problems.add("deploymentSpec.executors." + e + ": no component uses it");
            }
        }
        checkDescriptions("", spec);
    }

    // ------------------------------------------------------------------ components and executors

    private void checkComponent(String path, JsonNode comp, JsonNode executors, Set<String> usedExecutors) {
        boolean hasDag = comp.has("dag");
        boolean hasExecutor = comp.has("executorLabel");
        if (hasDag == hasExecutor) {
            problems.add(path + ": expected exactly one of dag and executorLabel, found " + (hasDag ? "both" : "neither"));
            return;
        }
        for (Map.Entry<String, JsonNode> p : comp.path("inputDefinitions").path("parameters").properties()) {
            String type = p.getValue().path("parameterType").asText();
            JsonNode def = p.getValue().path("defaultValue");
            if (!def.isMissingNode() && !matchesType(type, def)) {
                problems.add(path + ".inputDefinitions.parameters." + p.getKey() + ".defaultValue: expected a " + type + ", found " + def);
            }
        }
        for (String side : List.of("inputDefinitions", "outputDefinitions")) {
            for (Map.Entry<String, JsonNode> a : comp.path(side).path("artifacts").properties()) {
                checkArtifactType(path + "." + side + ".artifacts." + a.getKey() + ".artifactType", a.getValue().path("artifactType"));
            }
        }
        if (!hasExecutor) {
            return;
        }
        String label = comp.path("executorLabel").asText();
        JsonNode exec = executors.path(label);
        if (!exec.isObject()) {
            problems.add(path + ".executorLabel: no executor '" + label + "' in deploymentSpec.executors; found " + names(executors));
            return;
        }
        usedExecutors.add(label);
        String execPath = "deploymentSpec.executors." + label;
        int kinds = (exec.has("container") ? 1 : 0) + (exec.has("importer") ? 1 : 0) + (exec.has("resolver") ? 1 : 0)
                + (exec.has("customJob") ? 1 : 0);
        if (kinds != 1) {
            problems.add(execPath + ": expected exactly one of container, importer, resolver and customJob, found " + kinds);
            return;
        }
        if (exec.has("container")) {
            JsonNode container = exec.path("container");
            if (container.path("image").asText("").isEmpty()) {
                problems.add(execPath + ".container.image: expected an image, found none");
            }
            if (container.path("command").isEmpty()) {
                problems.add(execPath + ".container.command: expected a command (KFP's launcher runs command + args; the image's entrypoint is not used)");
            }
            checkPlaceholders(execPath + ".container.command", container.path("command"), comp);
            checkPlaceholders(execPath + ".container.args", container.path("args"), comp);
        } else if (exec.has("importer")) {
            JsonNode importer = exec.path("importer");
            String param = importer.path("artifactUri").path("runtimeParameter").asText("");
            if (!param.isEmpty() && !comp.path("inputDefinitions").path("parameters").has(param)) {
                problems.add(execPath + ".importer.artifactUri.runtimeParameter: the component declares no input parameter '" + param + "'");
            } else if (param.isEmpty() && !importer.path("artifactUri").has("constant")) {
                problems.add(execPath + ".importer.artifactUri: expected a runtimeParameter or a constant");
            }
            checkArtifactType(execPath + ".importer.typeSchema", importer.path("typeSchema"));
            JsonNode outs = comp.path("outputDefinitions").path("artifacts");
            if (outs.size() != 1) {
                problems.add(path + ".outputDefinitions.artifacts: an importer has one output artifact, found " + outs.size());
            } else {
                String declared = outs.elements().next().path("artifactType").path("schemaTitle").asText();
                String imported = importer.path("typeSchema").path("schemaTitle").asText();
                if (!declared.equals(imported)) {
                    problems.add(execPath + ".importer.typeSchema.schemaTitle: imports " + imported + " but the component outputs " + declared);
                }
            }
        }
    }

    private void checkArtifactType(String path, JsonNode type) {
        String title = type.path("schemaTitle").asText("");
        if (title.isEmpty() && !type.has("schemaUri") && !type.has("instanceSchema")) {
            problems.add(path + ": expected a schemaTitle like system.Dataset, found none");
        } else if (title.startsWith("system.") && !SYSTEM_ARTIFACT_TYPES.contains(title)) {
            problems.add(path + ".schemaTitle: KFP has no artifact type " + title + "; its system types are " + new TreeSet<>(SYSTEM_ARTIFACT_TYPES));
        }
    }

    private void checkPlaceholders(String path, JsonNode strings, JsonNode comp) {
        for (int i = 0; i < strings.size(); i++) {
            Matcher m = PLACEHOLDER.matcher(strings.get(i).asText());
            while (m.find()) {
                String inner = m.group(1).trim();
                String where = path + "[" + i + "]";
                if (inner.equals("$") || inner.equals("$.outputs.output_file")) {
                    continue;
                }
                Matcher io = IO_PLACEHOLDER.matcher(inner);
                if (!io.matches()) {
                    problems.add(where + ": unknown placeholder {{" + inner + "}}");
                    continue;
                }
                String side = io.group(1);
                String kind = io.group(2);
                String name = io.group(3);
                String attribute = io.group(4);
                JsonNode declared = comp.path(side.equals("inputs") ? "inputDefinitions" : "outputDefinitions").path(kind);
                if (!declared.has(name)) {
                    problems.add(where + ": {{" + inner + "}} names " + side + " " + kind + " '" + name + "', which the component does not declare; it has "
                            + names(declared));
                } else if (kind.equals("artifacts") && isList(declared.path(name)) && attribute != null) {
                    problems.add(where + ": {{" + inner + "}}: " + name + " is a list of artifacts, which has no one " + attribute
                            + "; the step reads the list from the executor input ({{$}})");
                }
                boolean ok = kind.equals("artifacts")
                        ? attribute != null && !attribute.equals("output_file")
                        : side.equals("inputs") ? attribute == null : "output_file".equals(attribute);
                if (!ok) {
                    problems.add(where + ": {{" + inner + "}}: " + side + " " + kind + " take "
                            + (kind.equals("artifacts") ? ".path or .uri" : side.equals("inputs") ? "no attribute" : ".output_file"));
                }
            }
        }
    }

    // ------------------------------------------------------------------ DAGs

    private void checkDag(String path, JsonNode owner, JsonNode components, Set<String> usedComponents) {
        JsonNode tasks = owner.path("dag").path("tasks");
        JsonNode ownInputs = owner.path("inputDefinitions");
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : tasks.properties()) {
            String taskPath = path + ".dag.tasks." + e.getKey();
            JsonNode task = e.getValue();
            Set<String> waitsFor = new TreeSet<>();
            task.path("dependentTasks").forEach(d -> waitsFor.add(d.asText()));
            deps.put(e.getKey(), waitsFor);
            for (String d : waitsFor) {
                if (!tasks.has(d)) {
                    problems.add(taskPath + ".dependentTasks: no task '" + d + "' in this DAG");
                }
            }
            String ref = task.path("componentRef").path("name").asText("");
            JsonNode comp = components.path(ref);
            if (!comp.isObject()) {
                problems.add(taskPath + ".componentRef.name: no component '" + ref + "'; found " + names(components));
                continue;
            }
            usedComponents.add(ref);
            if (task.path("taskInfo").path("name").asText("").isEmpty()) {
                problems.add(taskPath + ".taskInfo.name: expected the task's name, found none");
            }
            checkIterator(taskPath, task, comp);
            checkTaskParameters(taskPath, task, comp, tasks, components, ownInputs, waitsFor);
            checkTaskArtifacts(taskPath, task, comp, tasks, components, ownInputs, waitsFor);
        }
        checkDagArtifactOutputs(path, owner, tasks, components);
        List<String> cycle = cycle(deps);
        if (!cycle.isEmpty()) {
            problems.add(path + ".dag.tasks: dependentTasks form a cycle: " + String.join(" → ", cycle));
        }
        for (Map.Entry<String, JsonNode> o : owner.path("dag").path("outputs").path("parameters").properties()) {
            String outPath = path + ".dag.outputs.parameters." + o.getKey();
            JsonNode sel = o.getValue().path("valueFromParameter");
            if (!sel.isObject()) {
                problems.add(outPath + ": expected valueFromParameter");
                continue;
            }
            String producer = sel.path("producerSubtask").asText();
            String key = sel.path("outputParameterKey").asText();
            JsonNode produced = components.path(tasks.path(producer).path("componentRef").path("name").asText())
                    .path("outputDefinitions").path("parameters").path(key);
            JsonNode declared = owner.path("outputDefinitions").path("parameters").path(o.getKey());
            if (!tasks.has(producer)) {
                problems.add(outPath + ".valueFromParameter.producerSubtask: no task '" + producer + "' in this DAG");
            } else if (produced.isMissingNode()) {
                problems.add(outPath + ".valueFromParameter: task " + producer + " has no output parameter '" + key + "'");
            } else if (declared.isMissingNode()) {
                problems.add(outPath + ": not declared in " + path + ".outputDefinitions.parameters");
            } else if (!declared.path("parameterType").asText().equals(produced.path("parameterType").asText())) {
                problems.add(outPath + ": declared " + declared.path("parameterType").asText() + " but task " + producer + " outputs "
                        + produced.path("parameterType").asText());
            }
        }
    }

    /**
     * A ParallelFor: the loop component is a DAG that declares the item input (the driver fills it,
     * so the task does not give it), and the items are a JSON list or a LIST input the task gives.
     */
    private void checkIterator(String taskPath, JsonNode task, JsonNode comp) {
        if (task.has("artifactIterator")) {
            problems.add(taskPath + ".artifactIterator: not used by tether's compiler");
            return;
        }
        JsonNode it = task.path("parameterIterator");
        if (it.isMissingNode()) {
            return;
        }
        String at = taskPath + ".parameterIterator";
        if (!comp.has("dag")) {
            problems.add(at + ": a loop runs a DAG component, but " + task.path("componentRef").path("name").asText() + " has none");
        }
        String item = it.path("itemInput").asText("");
        JsonNode declared = comp.path("inputDefinitions").path("parameters");
        if (item.isEmpty() || !declared.has(item)) {
            problems.add(at + ".itemInput: the loop component declares no input parameter '" + item + "'; it has " + names(declared));
        } else if (task.path("inputs").path("parameters").has(item)) {
            problems.add(at + ".itemInput: '" + item + "' is the loop item, which the driver sets; the task must not give it");
        }
        JsonNode items = it.path("items");
        if (items.has("raw") == items.has("inputParameter")) {
            problems.add(at + ".items: expected exactly one of raw and inputParameter");
        } else if (items.has("raw")) {
            try {
                if (!CanonicalJson.mapper().readTree(items.path("raw").asText()).isArray()) {
                    problems.add(at + ".items.raw: expected a JSON list, found " + items.path("raw"));
                }
            } catch (java.io.IOException e) {
                problems.add(at + ".items.raw: expected a JSON list, found " + items.path("raw"));
            }
        } else {
            String list = items.path("inputParameter").asText();
            if (!task.path("inputs").path("parameters").has(list)) {
                problems.add(at + ".items.inputParameter: the task gives no input parameter '" + list + "'");
            } else if (!"LIST".equals(declared.path(list).path("parameterType").asText())) {
                problems.add(at + ".items.inputParameter: '" + list + "' is " + declared.path(list).path("parameterType").asText("undeclared")
                        + "; a loop iterates over a LIST");
            }
        }
    }

    /** A DAG's output artifacts: each selector names a task of the DAG and an output it has, of the declared type. */
    private void checkDagArtifactOutputs(String path, JsonNode owner, JsonNode tasks, JsonNode components) {
        for (Map.Entry<String, JsonNode> o : owner.path("dag").path("outputs").path("artifacts").properties()) {
            String outPath = path + ".dag.outputs.artifacts." + o.getKey();
            JsonNode declared = owner.path("outputDefinitions").path("artifacts").path(o.getKey());
            if (declared.isMissingNode()) {
                problems.add(outPath + ": not declared in " + path + ".outputDefinitions.artifacts");
            }
            JsonNode selectors = o.getValue().path("artifactSelectors");
            if (selectors.isEmpty()) {
                problems.add(outPath + ".artifactSelectors: expected at least one");
            }
            for (JsonNode sel : selectors) {
                String producer = sel.path("producerSubtask").asText();
                String key = sel.path("outputArtifactKey").asText();
                JsonNode produced = producerOutputs(tasks, components, producer).path("artifacts").path(key);
                if (!tasks.has(producer)) {
                    problems.add(outPath + ".artifactSelectors: no task '" + producer + "' in this DAG");
                } else if (produced.isMissingNode()) {
                    problems.add(outPath + ".artifactSelectors: task " + producer + " has no output artifact '" + key + "'");
                } else if (!declared.isMissingNode() && !title(declared).equals(title(produced))) {
                    problems.add(outPath + ": declared " + title(declared) + " but task " + producer + " outputs " + title(produced));
                }
            }
        }
    }

    private static String title(JsonNode artifactSpec) {
        return artifactSpec.path("artifactType").path("schemaTitle").asText();
    }

    private static boolean isList(JsonNode artifactSpec) {
        return artifactSpec.path("isArtifactList").asBoolean(false);
    }

    private void checkTaskParameters(String taskPath, JsonNode task, JsonNode comp, JsonNode tasks, JsonNode components,
            JsonNode ownInputs, Set<String> waitsFor) {
        JsonNode declared = comp.path("inputDefinitions").path("parameters");
        JsonNode given = task.path("inputs").path("parameters");
        for (Map.Entry<String, JsonNode> p : given.properties()) {
            String at = taskPath + ".inputs.parameters." + p.getKey();
            JsonNode decl = declared.path(p.getKey());
            if (decl.isMissingNode()) {
                problems.add(at + ": the component declares no input parameter '" + p.getKey() + "'; it has " + names(declared));
                continue;
            }
            String type = decl.path("parameterType").asText();
            JsonNode src = p.getValue();
            int kinds = (src.has("taskOutputParameter") ? 1 : 0) + (src.has("runtimeValue") ? 1 : 0)
                    + (src.has("componentInputParameter") ? 1 : 0) + (src.has("taskFinalStatus") ? 1 : 0);
            if (kinds != 1) {
                problems.add(at + ": expected exactly one of taskOutputParameter, runtimeValue, componentInputParameter and taskFinalStatus");
                continue;
            }
            if (src.has("componentInputParameter")) {
                String name = src.path("componentInputParameter").asText();
                JsonNode from = ownInputs.path("parameters").path(name);
                if (from.isMissingNode()) {
                    problems.add(at + ".componentInputParameter: no pipeline parameter '" + name + "'; found " + names(ownInputs.path("parameters")));
                } else if (!from.path("parameterType").asText().equals(type)) {
                    problems.add(at + ".componentInputParameter: pipeline parameter " + name + " is " + from.path("parameterType").asText()
                            + " but the input is " + type);
                }
            } else if (src.has("taskOutputParameter")) {
                String producer = src.path("taskOutputParameter").path("producerTask").asText();
                String key = src.path("taskOutputParameter").path("outputParameterKey").asText();
                JsonNode out = producerOutputs(tasks, components, producer).path("parameters").path(key);
                if (!tasks.has(producer)) {
                    problems.add(at + ".taskOutputParameter.producerTask: no task '" + producer + "' in this DAG");
                } else if (out.isMissingNode()) {
                    problems.add(at + ".taskOutputParameter: task " + producer + " has no output parameter '" + key + "'");
                } else if (!out.path("parameterType").asText().equals(type)) {
                    problems.add(at + ".taskOutputParameter: " + producer + "." + key + " is " + out.path("parameterType").asText()
                            + " but the input is " + type);
                }
                if (tasks.has(producer) && !waitsFor.contains(producer)) {
                    problems.add(at + ".taskOutputParameter: reads task " + producer + ", which dependentTasks does not list");
                }
            } else if (src.has("runtimeValue")) {
                JsonNode constant = src.path("runtimeValue").path("constant");
                if (constant.isMissingNode()) {
                    problems.add(at + ".runtimeValue: expected a constant");
                } else if (!matchesType(type, constant)) {
                    problems.add(at + ".runtimeValue.constant: expected a " + type + ", found " + constant);
                }
            } else {
                problems.add(at + ".taskFinalStatus: not used by tether's compiler");
            }
        }
        String item = task.path("parameterIterator").path("itemInput").asText("");
        for (Map.Entry<String, JsonNode> d : declared.properties()) {
            boolean required = !d.getValue().path("isOptional").asBoolean(false) && d.getValue().path("defaultValue").isMissingNode();
            if (required && !given.has(d.getKey()) && !d.getKey().equals(item)) {
                problems.add(taskPath + ".inputs.parameters: required input parameter '" + d.getKey() + "' is not given");
            }
        }
    }

    private void checkTaskArtifacts(String taskPath, JsonNode task, JsonNode comp, JsonNode tasks, JsonNode components,
            JsonNode ownInputs, Set<String> waitsFor) {
        JsonNode declared = comp.path("inputDefinitions").path("artifacts");
        JsonNode given = task.path("inputs").path("artifacts");
        for (Map.Entry<String, JsonNode> a : given.properties()) {
            String at = taskPath + ".inputs.artifacts." + a.getKey();
            JsonNode decl = declared.path(a.getKey());
            if (decl.isMissingNode()) {
                problems.add(at + ": the component declares no input artifact '" + a.getKey() + "'; it has " + names(declared));
                continue;
            }
            String title = decl.path("artifactType").path("schemaTitle").asText();
            JsonNode src = a.getValue();
            if (src.has("taskOutputArtifact") == src.has("componentInputArtifact")) {
                problems.add(at + ": expected exactly one of taskOutputArtifact and componentInputArtifact");
                continue;
            }
            if (src.has("componentInputArtifact")) {
                String name = src.path("componentInputArtifact").asText();
                JsonNode from = ownInputs.path("artifacts").path(name);
                if (from.isMissingNode()) {
                    problems.add(at + ".componentInputArtifact: no input artifact '" + name + "'");
                } else if (!from.path("artifactType").path("schemaTitle").asText().equals(title)) {
                    problems.add(at + ".componentInputArtifact: " + name + " is " + from.path("artifactType").path("schemaTitle").asText()
                            + " but the input is " + title);
                } else if (isList(from) != isList(decl)) {
                    problems.add(at + ".componentInputArtifact: " + name + (isList(from) ? " is" : " is not") + " a list of artifacts but the input "
                            + (isList(decl) ? "is" : "is not") + " (isArtifactList)");
                }
                continue;
            }
            String producer = src.path("taskOutputArtifact").path("producerTask").asText();
            String key = src.path("taskOutputArtifact").path("outputArtifactKey").asText();
            JsonNode out = producerOutputs(tasks, components, producer).path("artifacts").path(key);
            if (!tasks.has(producer)) {
                problems.add(at + ".taskOutputArtifact.producerTask: no task '" + producer + "' in this DAG");
            } else if (out.isMissingNode()) {
                problems.add(at + ".taskOutputArtifact: task " + producer + " has no output artifact '" + key + "'");
            } else if (!out.path("artifactType").path("schemaTitle").asText().equals(title)) {
                problems.add(at + ".taskOutputArtifact: " + producer + "." + key + " is " + out.path("artifactType").path("schemaTitle").asText()
                        + " but the input is " + title);
            } else if (isList(out) != isList(decl)) {
                problems.add(at + ".taskOutputArtifact: " + producer + "." + key + (isList(out) ? " is" : " is not")
                        + " a list of artifacts (a ParallelFor's collected output) but the input " + (isList(decl) ? "is" : "is not")
                        + " (isArtifactList)");
            }
            if (tasks.has(producer) && !waitsFor.contains(producer)) {
                problems.add(at + ".taskOutputArtifact: reads task " + producer + ", which dependentTasks does not list");
            }
        }
        for (Map.Entry<String, JsonNode> d : declared.properties()) {
            if (!d.getValue().path("isOptional").asBoolean(false) && !given.has(d.getKey())) {
                problems.add(taskPath + ".inputs.artifacts: required input artifact '" + d.getKey() + "' is not given");
            }
        }
    }

    private static JsonNode producerOutputs(JsonNode tasks, JsonNode components, String producer) {
        return components.path(tasks.path(producer).path("componentRef").path("name").asText()).path("outputDefinitions");
    }

    private static boolean matchesType(String type, JsonNode v) {
        switch (type) {
            case "NUMBER_INTEGER":
                return v.isIntegralNumber() || (v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0);
            case "NUMBER_DOUBLE":
                return v.isNumber();
            case "STRING":
                return v.isTextual();
            case "BOOLEAN":
                return v.isBoolean();
            case "LIST":
                return v.isArray();
            case "STRUCT":
                return v.isObject();
            default:
                return false;
        }
    }

    private void checkDescriptions(String path, JsonNode node) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (e.getKey().equals("description") && e.getValue().isTextual() && e.getValue().asText().length() > MAX_DESCRIPTION) {
                problems.add(at + ": " + e.getValue().asText().length() + " characters; KFP allows " + MAX_DESCRIPTION);
            } else if (e.getValue().isObject()) {
                checkDescriptions(at, e.getValue());
            }
        }
    }

    /** A cycle among the tasks, as task names with the first repeated at the end; empty if none. */
    static List<String> cycle(Map<String, Set<String>> deps) {
        Map<String, Integer> state = new HashMap<>(); // 1 on the stack, 2 done
        for (String start : deps.keySet()) {
            List<String> stack = new ArrayList<>();
            List<String> found = visit(start, deps, state, stack);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, Set<String>> deps, Map<String, Integer> state, List<String> stack) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(node), stack.size()));
            cycle.add(node);
            return cycle;
        }
        state.put(node, 1);
        stack.add(node);
        for (String d : deps.getOrDefault(node, Set.of())) {
            if (deps.containsKey(d)) {
                List<String> found = visit(d, deps, state, stack);
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        stack.remove(stack.size() - 1);
        state.put(node, 2);
        return List.of();
    }

    private static TreeSet<String> names(JsonNode object) {
        TreeSet<String> out = new TreeSet<>();
        object.properties().forEach(e -> out.add(e.getKey()));
        return out;
    }

    // ------------------------------------------------------------------ structure (pipeline_spec.proto)

    /** Checks one JSON value against the shape of a proto field; problems name the path. */
    @FunctionalInterface
    interface Shape {
        void check(String path, JsonNode node, List<String> problems);
    }

    private static String kind(JsonNode n) {
        return n.isObject() ? "an object" : n.isArray() ? "a list" : n.isTextual() ? "a string '" + n.asText() + "'"
                : n.isNumber() ? "a number " + n : n.isBoolean() ? "a boolean" : n.isNull() ? "null" : n.getNodeType().toString();
    }

    private static final Shape STRING = (p, n, out) -> {
        if (!n.isTextual()) {
            out.add(p + ": expected a string, found " + kind(n));
        }
    };
    private static final Shape BOOL = (p, n, out) -> {
        if (!n.isBoolean()) {
            out.add(p + ": expected true or false, found " + kind(n));
        }
    };
    private static final Shape NUMBER = (p, n, out) -> {
        if (!n.isNumber()) {
            out.add(p + ": expected a number, found " + kind(n));
        }
    };
    private static final Shape INTEGER = (p, n, out) -> {
        if (!n.isIntegralNumber()) {
            out.add(p + ": expected an integer, found " + kind(n));
        }
    };
    /** An int64 field: protojson takes a number or a decimal string. */
    private static final Shape INT64 = (p, n, out) -> {
        if (!n.isIntegralNumber() && !(n.isTextual() && n.asText().matches("-?[0-9]+"))) {
            out.add(p + ": expected an integer, found " + kind(n));
        }
    };
    private static final Shape DURATION_STRING = (p, n, out) -> {
        if (!n.isTextual() || !DURATION.matcher(n.asText()).matches()) {
            out.add(p + ": expected a duration like 30s, found " + kind(n));
        }
    };
    private static final Shape ANY_VALUE = (p, n, out) -> { };
    private static final Shape STRUCT = (p, n, out) -> {
        if (!n.isObject()) {
            out.add(p + ": expected an object, found " + kind(n));
        }
    };
    private static final Shape PARAMETER_TYPE = (p, n, out) -> {
        if (!n.isTextual() || !PARAMETER_TYPES.contains(n.asText())) {
            out.add(p + ": expected one of " + new TreeSet<>(PARAMETER_TYPES) + ", found " + kind(n));
        }
    };

    private static Shape list(Shape item) {
        return (p, n, out) -> {
            if (!n.isArray()) {
                out.add(p + ": expected a list, found " + kind(n));
                return;
            }
            for (int i = 0; i < n.size(); i++) {
                item.check(p + "[" + i + "]", n.get(i), out);
            }
        };
    }

    private static Shape map(Shape value) {
        return (p, n, out) -> {
            if (!n.isObject()) {
                out.add(p + ": expected a map, found " + kind(n));
                return;
            }
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                value.check(p + "." + e.getKey(), e.getValue(), out);
            }
        };
    }

    /** A proto message: {@code fields} alternates JSON field names and their shapes; other keys are errors. */
    private static Shape message(String name, Object... fields) {
        Map<String, Shape> known = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            known.put((String) fields[i], (Shape) fields[i + 1]);
        }
        return (p, n, out) -> {
            if (!n.isObject()) {
                out.add((p.isEmpty() ? name : p) + ": expected a " + name + " object, found " + kind(n));
                return;
            }
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String at = p.isEmpty() ? e.getKey() : p + "." + e.getKey();
                Shape s = known.get(e.getKey());
                if (s == null) {
                    out.add(at + ": unknown field '" + e.getKey() + "' (a " + name + " has " + String.join(", ", known.keySet()) + ")");
                } else {
                    s.check(at, e.getValue(), out);
                }
            }
        };
    }

    private static final Shape ARTIFACT_TYPE = message("ArtifactTypeSchema",
            "schemaTitle", STRING, "schemaUri", STRING, "instanceSchema", STRING, "schemaVersion", STRING);
    private static final Shape VALUE_OR_RUNTIME_PARAMETER = message("ValueOrRuntimeParameter",
            "constantValue", STRUCT, "runtimeParameter", STRING, "constant", ANY_VALUE);
    private static final Shape COMPONENT_INPUTS = message("ComponentInputsSpec",
            "artifacts", map(message("ComponentInputsSpec.ArtifactSpec",
                    "artifactType", ARTIFACT_TYPE, "isArtifactList", BOOL, "isOptional", BOOL, "description", STRING)),
            "parameters", map(message("ComponentInputsSpec.ParameterSpec",
                    "type", STRING, "parameterType", PARAMETER_TYPE, "defaultValue", ANY_VALUE, "isOptional", BOOL, "description", STRING)));
    private static final Shape COMPONENT_OUTPUTS = message("ComponentOutputsSpec",
            "artifacts", map(message("ComponentOutputsSpec.ArtifactSpec",
                    "artifactType", ARTIFACT_TYPE, "properties", map(VALUE_OR_RUNTIME_PARAMETER),
                    "customProperties", map(VALUE_OR_RUNTIME_PARAMETER), "metadata", STRUCT, "isArtifactList", BOOL, "description", STRING)),
            "parameters", map(message("ComponentOutputsSpec.ParameterSpec",
                    "type", STRING, "parameterType", PARAMETER_TYPE, "description", STRING)));
    private static final Shape TASK_INPUTS = message("TaskInputsSpec",
            "parameters", map(message("TaskInputsSpec.InputParameterSpec",
                    "taskOutputParameter", message("TaskOutputParameterSpec", "producerTask", STRING, "outputParameterKey", STRING),
                    "runtimeValue", VALUE_OR_RUNTIME_PARAMETER,
                    "componentInputParameter", STRING,
                    "taskFinalStatus", message("TaskFinalStatus", "producerTask", STRING),
                    "parameterExpressionSelector", STRING)),
            "artifacts", map(message("TaskInputsSpec.InputArtifactSpec",
                    "taskOutputArtifact", message("TaskOutputArtifactSpec", "producerTask", STRING, "outputArtifactKey", STRING),
                    "componentInputArtifact", STRING)));
    private static final Shape TASK = message("PipelineTaskSpec",
            "taskInfo", message("PipelineTaskInfo", "name", STRING),
            "inputs", TASK_INPUTS,
            "dependentTasks", list(STRING),
            "cachingOptions", message("CachingOptions", "enableCache", BOOL),
            "componentRef", message("ComponentRef", "name", STRING),
            "triggerPolicy", message("TriggerPolicy", "condition", STRING, "strategy", STRING),
            "artifactIterator", message("ArtifactIteratorSpec",
                    "items", message("ArtifactIteratorSpec.ItemsSpec", "inputArtifact", STRING), "itemInput", STRING),
            "parameterIterator", message("ParameterIteratorSpec",
                    "items", message("ParameterIteratorSpec.ItemsSpec", "raw", STRING, "inputParameter", STRING), "itemInput", STRING),
            "retryPolicy", message("RetryPolicy", "maxRetryCount", INTEGER, "backoffDuration", DURATION_STRING, "backoffFactor", NUMBER,
                    "backoffMaxDuration", DURATION_STRING),
            "iteratorPolicy", message("IteratorPolicy", "parallelismLimit", INTEGER));
    private static final Shape SELECTOR = message("ParameterSelectorSpec", "producerSubtask", STRING, "outputParameterKey", STRING);
    private static final Shape DAG = message("DagSpec",
            "tasks", map(TASK),
            "outputs", message("DagOutputsSpec",
                    "artifacts", map(message("DagOutputArtifactSpec", "artifactSelectors",
                            list(message("ArtifactSelectorSpec", "producerSubtask", STRING, "outputArtifactKey", STRING)))),
                    "parameters", map(message("DagOutputParameterSpec",
                            "valueFromParameter", SELECTOR,
                            "valueFromOneof", message("ParameterSelectorsSpec", "parameterSelectors", list(SELECTOR))))));
    private static final Shape COMPONENT = message("ComponentSpec",
            "inputDefinitions", COMPONENT_INPUTS, "outputDefinitions", COMPONENT_OUTPUTS, "dag", DAG, "executorLabel", STRING,
            "singlePlatformSpecs", list(STRUCT));
    private static final Shape RESOURCES = message("ResourceSpec",
            "cpuLimit", NUMBER, "memoryLimit", NUMBER, "cpuRequest", NUMBER, "memoryRequest", NUMBER,
            "resourceCpuLimit", STRING, "resourceMemoryLimit", STRING, "resourceCpuRequest", STRING, "resourceMemoryRequest", STRING,
            "accelerator", message("AcceleratorConfig", "type", STRING, "count", INT64, "resourceType", STRING, "resourceCount", STRING));
    private static final Shape CONTAINER = message("PipelineContainerSpec",
            "image", STRING, "command", list(STRING), "args", list(STRING), "lifecycle", STRUCT, "resources", RESOURCES,
            "env", list(message("EnvVar", "name", STRING, "value", STRING)));
    private static final Shape IMPORTER = message("ImporterSpec",
            "artifactUri", VALUE_OR_RUNTIME_PARAMETER, "typeSchema", ARTIFACT_TYPE, "properties", map(VALUE_OR_RUNTIME_PARAMETER),
            "customProperties", map(VALUE_OR_RUNTIME_PARAMETER), "metadata", STRUCT, "reimport", BOOL);
    private static final Shape DEPLOYMENT = message("PipelineDeploymentConfig",
            "executors", map(message("ExecutorSpec", "container", CONTAINER, "importer", IMPORTER, "resolver", STRUCT, "customJob", STRUCT)));
    private static final Shape PIPELINE_SPEC = message("PipelineSpec",
            "pipelineInfo", message("PipelineInfo", "name", STRING, "displayName", STRING, "description", STRING),
            "deploymentSpec", DEPLOYMENT,
            "sdkVersion", STRING,
            "schemaVersion", STRING,
            "components", map(COMPONENT),
            "root", COMPONENT,
            "defaultPipelineRoot", STRING);
}
