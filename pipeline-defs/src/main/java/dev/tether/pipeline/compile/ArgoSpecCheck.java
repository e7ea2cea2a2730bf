package dev.tether.pipeline.compile;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks {@code argo lint} makes that a JSON schema cannot, for the shapes tether generates
 * (container and DAG templates, a CronWorkflow referring to a WorkflowTemplate): templates that
 * are referenced exist; every {@code {{...}}} reference resolves — {@code inputs.parameters.x}
 * and {@code inputs.artifacts.x.path} to the template's inputs, {@code workflow.parameters.z} to
 * the workflow's arguments, {@code tasks.t.outputs.parameters.y} and
 * {@code tasks.t.outputs.artifacts.y} to an output of task t's template where t is upstream of the
 * task reading it; arguments name declared inputs and required inputs are given; DAG
 * dependencies exist and are acyclic; names follow Argo's rules; the CronWorkflow's schedules
 * parse and its template and parameters exist.
 */
public final class ArgoSpecCheck {
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-zA-Z0-9][-a-zA-Z0-9]*");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[-a-zA-Z0-9_]+");
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*(.*?)\\s*}}");
    private static final Pattern CRON_FIELD = Pattern.compile("(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?(,(\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?)*");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    private static final int[][] CRON_RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
    private static final Set<String> TEMPLATE_TYPES = Set.of("container", "containerSet", "dag", "data", "http", "plugin", "resource", "script",
            "steps", "suspend");
    private static final Set<String> RETRY_POLICIES = Set.of("Always", "OnFailure", "OnError", "OnTransientError");
    private static final Set<String> CONCURRENCY_POLICIES = Set.of("Allow", "Forbid", "Replace");
    /** Variables Argo defines in every template (a subset: the ones worth using in tether's specs). */
    private static final Set<String> GLOBALS = Set.of("workflow.name", "workflow.namespace", "workflow.uid", "workflow.creationTimestamp",
            "workflow.scheduledTime", "pod.name", "retries");

    private static final List<String> LOOPS = List.of("withItems", "withParam", "withSequence");
    private static final Pattern FROM_TASK_ARTIFACT = Pattern.compile("\\{\\{tasks\\.([^.]+)\\.outputs\\.artifacts\\.");
    /** Keys under the workflow's own name: where tether's compiler puts a fan-out's shards. */
    private static final String SHARDS_KEY_PREFIX = "{{workflow.name}}/";

    /** Two thirds of etcd's default 1.5 MiB object limit, leaving the rest to a Workflow's node statuses. */
    static final int MAX_TEMPLATE_BYTES = 1 << 20;

    private final List<String> problems = new ArrayList<>();

    private ArgoSpecCheck() {}

    /** Every problem in these documents (WorkflowTemplates and the CronWorkflows that refer to them). */
    public static List<String> problems(List<JsonNode> documents) {
        ArgoSpecCheck c = new ArgoSpecCheck();
        Map<String, JsonNode> templates = new LinkedHashMap<>();
        for (JsonNode d : documents) {
            if ("WorkflowTemplate".equals(d.path("kind").asText())) {
                templates.put(d.path("metadata").path("name").asText(), d);
            }
        }
        for (JsonNode d : documents) {
            String kind = d.path("kind").asText();
            String where = kind + " " + d.path("metadata").path("name").asText();
            switch (kind) {
                case "WorkflowTemplate" -> c.checkWorkflowTemplate(where, d);
                case "CronWorkflow" -> c.checkCronWorkflow(where, d, templates);
                default -> c.problems.add(where + ": kind: expected WorkflowTemplate or CronWorkflow");
            }
        }
        return c.problems;
    }

    // ------------------------------------------------------------------ WorkflowTemplate

    private void checkWorkflowTemplate(String where, JsonNode doc) {
        checkObjectName(where, doc);
        int size = doc.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (size > MAX_TEMPLATE_BYTES) {
            problems.add(where + ": " + size + " bytes of JSON; keep a WorkflowTemplate under " + MAX_TEMPLATE_BYTES + " (a Workflow made from it "
                    + "carries a copy in its status, next to its node statuses, in one etcd object of at most 1.5 MiB)");
        }
        JsonNode spec = doc.path("spec");
        Set<String> workflowParameters = new TreeSet<>();
        JsonNode args = spec.path("arguments").path("parameters");
        for (int i = 0; i < args.size(); i++) {
            JsonNode p = args.get(i);
            String at = where + ": spec.arguments.parameters[" + i + "]";
            checkParameterName(at, p.path("name").asText(), workflowParameters);
            if (p.has("enum") && p.has("value") && !contains(p.path("enum"), p.path("value").asText())) {
                problems.add(at + ": value '" + p.path("value").asText() + "' is not one of its enum " + p.path("enum"));
            }
        }
        Map<String, JsonNode> templates = new LinkedHashMap<>();
        JsonNode list = spec.path("templates");
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).path("name").asText();
            if (!TEMPLATE_NAME.matcher(name).matches() || name.length() > 128) {
                problems.add(where + ": spec.templates[" + i + "].name: expected letters, digits and '-', starting with a letter or digit, found '"
                        + name + "'");
            }
            if (templates.put(name, list.get(i)) != null) {
                problems.add(where + ": spec.templates[" + i + "].name: template '" + name + "' is defined twice");
            }
        }
        String entry = spec.path("entrypoint").asText("");
        if (!templates.containsKey(entry)) {
            problems.add(where + ": spec.entrypoint: no template '" + entry + "'; found " + templates.keySet());
        }
        for (JsonNode t : templates.values()) {
            String at = where + ": template " + t.path("name").asText();
            Set<String> types = new TreeSet<>();
            t.fieldNames().forEachRemaining(f -> {
                if (TEMPLATE_TYPES.contains(f)) {
                    types.add(f);
                }
            });
            if (types.size() != 1) {
                problems.add(at + ": expected exactly one template type (container, dag, …), found " + types);
                continue;
            }
            checkIoNames(at, t);
            checkRetryStrategy(at, t.path("retryStrategy"));
            if (t.has("container")) {
                checkContainerTemplate(at, t, workflowParameters);
            } else if (t.has("dag")) {
                checkDagTemplate(at, t, templates, workflowParameters);
            }
        }
    }

    private void checkIoNames(String at, JsonNode t) {
        for (String side : List.of("inputs", "outputs")) {
            for (String kind : List.of("parameters", "artifacts")) {
                Set<String> seen = new HashSet<>();
                JsonNode list = t.path(side).path(kind);
                for (int i = 0; i < list.size(); i++) {
                    checkParameterName(at + ": " + side + "." + kind + "[" + i + "]", list.get(i).path("name").asText(), seen);
                }
            }
        }
    }

    private void checkContainerTemplate(String at, JsonNode t, Set<String> workflowParameters) {
        Set<String> known = new TreeSet<>(GLOBALS);
        names(t.path("inputs").path("parameters")).forEach(n -> known.add("inputs.parameters." + n));
        names(t.path("inputs").path("artifacts")).forEach(n -> known.add("inputs.artifacts." + n + ".path"));
        workflowParameters.forEach(n -> known.add("workflow.parameters." + n));
        checkReferences(at + ": container", t.path("container"), known, "");
        checkReferences(at + ": outputs", t.path("outputs").path("artifacts"), known, "artifacts");
        for (JsonNode a : t.path("inputs").path("artifacts")) {
            if (a.path("path").asText("").isEmpty()) {
                problems.add(at + ": inputs.artifacts." + a.path("name").asText() + ": a container template's input artifact needs a path");
            }
        }
        for (JsonNode a : t.path("outputs").path("artifacts")) {
            if (a.path("path").asText("").isEmpty()) {
                problems.add(at + ": outputs.artifacts." + a.path("name").asText() + ": a container template's output artifact needs a path");
            }
        }
        for (JsonNode p : t.path("outputs").path("parameters")) {
            JsonNode from = p.path("valueFrom");
            if (!from.has("path") && !p.has("value")) {
                problems.add(at + ": outputs.parameters." + p.path("name").asText() + ": expected valueFrom.path (where the step writes it)");
            }
        }
        JsonNode resources = t.path("container").path("resources");
        for (String side : List.of("requests", "limits")) {
            for (Map.Entry<String, JsonNode> e : resources.path(side).properties()) {
                try {
                    Quantity.parse(e.getKey(), e.getValue().asText());
                } catch (IllegalArgumentException ex) {
                    problems.add(at + ": container.resources." + side + "." + ex.getMessage());
                }
            }
        }
        if (t.path("container").path("image").asText("").isEmpty()) {
            problems.add(at + ": container.image: expected an image");
        }
    }

    private void checkDagTemplate(String at, JsonNode t, Map<String, JsonNode> templates, Set<String> workflowParameters) {
        JsonNode tasks = t.path("dag").path("tasks");
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode task = tasks.get(i);
            String name = task.path("name").asText();
            if (!TEMPLATE_NAME.matcher(name).matches()) {
                problems.add(at + ": dag.tasks[" + i + "].name: expected letters, digits and '-', starting with a letter or digit, found '" + name + "'");
            }
            if (byName.put(name, task) != null) {
                problems.add(at + ": dag.tasks[" + i + "].name: task '" + name + "' is defined twice");
            }
            Set<String> d = new TreeSet<>();
            task.path("dependencies").forEach(n -> d.add(n.asText()));
            deps.put(name, d);
        }
        for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
            for (String d : e.getValue()) {
                if (d.equals(e.getKey())) {
                    problems.add(at + ": task " + e.getKey() + ": depends on itself");
                } else if (!byName.containsKey(d)) {
                    problems.add(at + ": task " + e.getKey() + ": dependencies: no task '" + d + "' in this DAG");
                }
            }
        }
        List<String> cycle = KfpSpecCheck.cycle(deps);
        if (!cycle.isEmpty()) {
            problems.add(at + ": dag: dependencies form a cycle: " + String.join(" → ", cycle));
            return;
        }
        Set<String> ownInputs = names(t.path("inputs").path("parameters"));
        for (JsonNode task : byName.values()) {
            String taskAt = at + ": task " + task.path("name").asText();
            JsonNode target = templates.get(task.path("template").asText());
            if (task.has("templateRef") || task.has("inline")) {
                problems.add(taskAt + ": templateRef and inline templates are not checked here; tether's compiler does not emit them");
                continue;
            }
            if (target == null) {
                problems.add(taskAt + ": template: no template '" + task.path("template").asText() + "'; found " + templates.keySet());
                continue;
            }
            Set<String> upstream = ancestors(task.path("name").asText(), deps);
            Set<String> known = new TreeSet<>(GLOBALS);
            workflowParameters.forEach(n -> known.add("workflow.parameters." + n));
            ownInputs.forEach(n -> known.add("inputs.parameters." + n));
            for (String u : upstream) {
                JsonNode ut = templates.get(byName.get(u).path("template").asText());
                if (ut != null) {
                    names(ut.path("outputs").path("parameters")).forEach(n -> known.add("tasks." + u + ".outputs.parameters." + n));
                    names(ut.path("outputs").path("artifacts")).forEach(n -> known.add("tasks." + u + ".outputs.artifacts." + n));
                }
            }
            for (String loop : LOOPS) {
                checkReferences(taskAt, task.path(loop), known, loop);
            }
            if (loops(task)) {
                known.add("item");
            }
            checkReferences(taskAt, task.path("arguments"), known, "arguments");
            checkArguments(taskAt, task, target);
            checkLoopArtifacts(taskAt, task, byName, upstream);
        }
        JsonNode outs = t.path("outputs").path("parameters");
        Set<String> anyTask = new TreeSet<>();
        byName.forEach((name, task) -> {
            JsonNode tt = templates.get(task.path("template").asText());
            if (tt != null) {
                names(tt.path("outputs").path("parameters")).forEach(n -> anyTask.add("tasks." + name + ".outputs.parameters." + n));
            }
        });
        for (int i = 0; i < outs.size(); i++) {
            JsonNode from = outs.get(i).path("valueFrom");
            if (!from.has("parameter")) {
                problems.add(at + ": outputs.parameters[" + i + "]: a DAG output takes valueFrom.parameter");
            }
            checkReferences(at + ": outputs.parameters[" + i + "]", from, anyTask, "valueFrom");
        }
    }

    private static boolean loops(JsonNode task) {
        return LOOPS.stream().anyMatch(task::has);
    }

    /**
     * Argo aggregates a loop's output parameters, never its artifacts: {@code from} a looped task
     * fails when the workflow runs. Its shards are read by key ({@code {{workflow.name}}/<task>/…}),
     * and then the reader must wait for the task, which nothing else would make it do.
     */
    private void checkLoopArtifacts(String taskAt, JsonNode task, Map<String, JsonNode> byName, Set<String> upstream) {
        for (JsonNode a : task.path("arguments").path("artifacts")) {
            String at = taskAt + ": arguments.artifacts." + a.path("name").asText();
            Matcher from = FROM_TASK_ARTIFACT.matcher(a.path("from").asText(""));
            if (from.find() && byName.containsKey(from.group(1)) && loops(byName.get(from.group(1)))) {
                problems.add(at + ": from: task " + from.group(1) + " loops (" + LOOPS.stream().filter(byName.get(from.group(1))::has).findFirst()
                        .orElseThrow() + "), and Argo does not aggregate a loop's artifacts; read them by their key in the artifact repository");
            }
            String key = a.path("s3").path("key").asText("");
            if (key.startsWith(SHARDS_KEY_PREFIX)) {
                String producer = key.substring(SHARDS_KEY_PREFIX.length()).split("/", 2)[0];
                if (byName.containsKey(producer) && !upstream.contains(producer)) {
                    problems.add(at + ": s3.key reads the outputs of task " + producer + ", which is not upstream of this one through dependencies");
                }
            }
        }
    }

    private void checkArguments(String taskAt, JsonNode task, JsonNode target) {
        Map<String, JsonNode> inParams = byName(target.path("inputs").path("parameters"));
        Map<String, JsonNode> inArts = byName(target.path("inputs").path("artifacts"));
        Map<String, JsonNode> params = byName(task.path("arguments").path("parameters"));
        Map<String, JsonNode> arts = byName(task.path("arguments").path("artifacts"));
        params.keySet().stream().filter(n -> !inParams.containsKey(n)).forEach(n -> problems.add(taskAt + ": arguments.parameters." + n
                + ": template " + target.path("name").asText() + " has no such input; it has " + inParams.keySet()));
        arts.keySet().stream().filter(n -> !inArts.containsKey(n)).forEach(n -> problems.add(taskAt + ": arguments.artifacts." + n
                + ": template " + target.path("name").asText() + " has no such input; it has " + inArts.keySet()));
        inParams.forEach((n, p) -> {
            if (!p.has("default") && !p.has("value") && !params.containsKey(n)) {
                problems.add(taskAt + ": arguments.parameters: input parameter '" + n + "' of template " + target.path("name").asText()
                        + " has no default and is not given");
            }
        });
        inArts.forEach((n, a) -> {
            if (!a.path("optional").asBoolean(false) && !hasLocation(a) && !arts.containsKey(n)) {
                problems.add(taskAt + ": arguments.artifacts: input artifact '" + n + "' of template " + target.path("name").asText()
                        + " is not given");
            }
        });
        arts.forEach((n, a) -> {
            if (!a.has("from") && !a.has("fromExpression") && !hasLocation(a)) {
                problems.add(taskAt + ": arguments.artifacts." + n + ": expected from or a location (s3, …)");
            }
        });
    }

    private static boolean hasLocation(JsonNode artifact) {
        for (String l : List.of("s3", "gcs", "git", "http", "artifactory", "hdfs", "raw", "oss", "azure", "plugin")) {
            if (artifact.has(l)) {
                return true;
            }
        }
        return false;
    }

    /** Every {@code {{...}}} in {@code node}'s strings must be one of {@code known}. */
    private void checkReferences(String at, JsonNode node, Set<String> known, String path) {
        if (node.isTextual()) {
            Matcher m = REFERENCE.matcher(node.asText());
            while (m.find()) {
                if (!known.contains(m.group(1))) {
                    problems.add(at + (path.isEmpty() ? "" : " " + path) + ": {{" + m.group(1) + "}} does not resolve" + hint(m.group(1)));
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkReferences(at, node.get(i), known, path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                checkReferences(at, e.getValue(), known, path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            }
        }
    }

    private static String hint(String ref) {
        if (ref.startsWith("tasks.")) {
            return " (the task must exist, be upstream of this one through dependencies, and its template declare that output)";
        }
        if (ref.startsWith("workflow.parameters.")) {
            return " (not in spec.arguments.parameters)";
        }
        if (ref.startsWith("inputs.")) {
            return " (not an input of this template)";
        }
        return "";
    }

    private void checkRetryStrategy(String at, JsonNode retry) {
        if (retry.isMissingNode()) {
            return;
        }
        if (retry.has("retryPolicy") && !RETRY_POLICIES.contains(retry.path("retryPolicy").asText())) {
            problems.add(at + ": retryStrategy.retryPolicy: expected one of " + new TreeSet<>(RETRY_POLICIES) + ", found "
                    + retry.path("retryPolicy").asText());
        }
        if (retry.has("limit") && !retry.path("limit").asText().matches("[0-9]+")) {
            problems.add(at + ": retryStrategy.limit: expected a whole number, found " + retry.path("limit"));
        }
    }

    // ------------------------------------------------------------------ CronWorkflow

    private void checkCronWorkflow(String where, JsonNode doc, Map<String, JsonNode> templates) {
        checkObjectName(where, doc);
        String name = doc.path("metadata").path("name").asText();
        if (name.length() > ArgoCompiler.MAX_CRON_NAME) {
            problems.add(where + ": metadata.name: " + name.length() + " characters; Argo allows " + ArgoCompiler.MAX_CRON_NAME
                    + " for a CronWorkflow");
        }
        JsonNode spec = doc.path("spec");
        JsonNode schedules = spec.path("schedules");
        if (schedules.isEmpty()) {
            problems.add(where + ": spec.schedules: expected at least one cron schedule");
        }
        for (int i = 0; i < schedules.size(); i++) {
            String problem = cronProblem(schedules.get(i).asText());
            if (problem != null) {
                problems.add(where + ": spec.schedules[" + i + "]: " + problem);
            }
        }
        if (spec.has("timezone")) {
            try {
                ZoneId.of(spec.path("timezone").asText());
            } catch (DateTimeException e) {
                problems.add(where + ": spec.timezone: unknown time zone '" + spec.path("timezone").asText() + "'");
            }
        }
        if (spec.has("concurrencyPolicy") && !CONCURRENCY_POLICIES.contains(spec.path("concurrencyPolicy").asText())) {
            problems.add(where + ": spec.concurrencyPolicy: expected one of " + new TreeSet<>(CONCURRENCY_POLICIES));
        }
        JsonNode wf = spec.path("workflowSpec");
        String ref = wf.path("workflowTemplateRef").path("name").asText("");
        JsonNode template = templates.get(ref);
        if (template == null) {
            problems.add(where + ": spec.workflowSpec.workflowTemplateRef.name: no WorkflowTemplate '" + ref + "' among " + templates.keySet());
            return;
        }
        Map<String, JsonNode> declared = byName(template.path("spec").path("arguments").path("parameters"));
        Map<String, JsonNode> given = byName(wf.path("arguments").path("parameters"));
        given.forEach((n, p) -> {
            JsonNode d = declared.get(n);
            if (d == null) {
                problems.add(where + ": spec.workflowSpec.arguments.parameters." + n + ": WorkflowTemplate " + ref + " has no such parameter");
            } else if (d.has("enum") && !contains(d.path("enum"), p.path("value").asText())) {
                problems.add(where + ": spec.workflowSpec.arguments.parameters." + n + ": '" + p.path("value").asText() + "' is not one of "
                        + d.path("enum"));
            }
        });
        declared.forEach((n, d) -> {
            if (!d.has("value") && !given.containsKey(n)) {
                problems.add(where + ": spec.workflowSpec.arguments.parameters: parameter '" + n + "' of WorkflowTemplate " + ref
                        + " has no value and is not given");
            }
        });
    }

    /** Null when {@code cron} is a standard five-field schedule (or a @-macro), else what is wrong. */
    static String cronProblem(String cron) {
        if (Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly").contains(cron)) {
            return null;
        }
        String[] fields = cron.trim().split("\\s+");
        if (fields.length != 5) {
            return "expected 5 fields (minute hour day-of-month month day-of-week), found " + fields.length + " in '" + cron + "'";
        }
        for (int i = 3; i < 5; i++) {
            String[] names = i == 3 ? MONTHS : DAYS;
            for (int n = 0; n < names.length; n++) {
                fields[i] = fields[i].replaceAll("(?i)\\b" + names[n] + "\\b", Integer.toString(n + (i == 3 ? 1 : 0)));
            }
        }
        for (int i = 0; i < 5; i++) {
            if (!CRON_FIELD.matcher(fields[i]).matches()) {
                return "field " + (i + 1) + " '" + fields[i] + "' is not a cron field";
            }
            for (String part : fields[i].split(",")) {
                String range = part.contains("/") ? part.substring(0, part.indexOf('/')) : part;
                if (part.contains("/") && Integer.parseInt(part.substring(part.indexOf('/') + 1)) < 1) {
                    return "field " + (i + 1) + " '" + part + "': a step must be ≥ 1";
                }
                if (range.equals("*")) {
                    continue;
                }
                for (String n : range.split("-")) {
                    int v = Integer.parseInt(n);
                    if (v < CRON_RANGES[i][0] || v > CRON_RANGES[i][1]) {
                        return "field " + (i + 1) + " value " + v + " is outside " + CRON_RANGES[i][0] + "–" + CRON_RANGES[i][1];
                    }
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    private void checkObjectName(String where, JsonNode doc) {
        String name = doc.path("metadata").path("name").asText("");
        if (name.isEmpty() || name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            problems.add(where + ": metadata.name: expected a DNS-1123 subdomain (lower case letters, digits, '-', '.'), found '" + name + "'");
        }
    }

    private void checkParameterName(String at, String name, Set<String> seen) {
        if (!PARAMETER_NAME.matcher(name).matches()) {
            problems.add(at + ".name: expected letters, digits, '_' and '-', found '" + name + "'");
        }
        if (!seen.add(name)) {
            problems.add(at + ".name: '" + name + "' is declared twice");
        }
    }

    private static Set<String> ancestors(String task, Map<String, Set<String>> deps) {
        Set<String> found = new TreeSet<>();
        List<String> todo = new ArrayList<>(deps.getOrDefault(task, Set.of()));
        while (!todo.isEmpty()) {
            String t = todo.remove(todo.size() - 1);
            if (deps.containsKey(t) && found.add(t)) {
                todo.addAll(deps.get(t));
            }
        }
        return found;
    }

    private static Map<String, JsonNode> byName(JsonNode list) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        list.forEach(n -> out.put(n.path("name").asText(), n));
        return out;
    }

    private static Set<String> names(JsonNode list) {
        return byName(list).keySet();
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode n : list) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
