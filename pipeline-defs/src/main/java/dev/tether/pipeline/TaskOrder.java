package dev.tether.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dependency order of a pipeline's tasks: every task after those it depends on, ties broken by
 * declaration order, so the same definition always runs (and renders) in the same order.
 */
final class TaskOrder {
    private TaskOrder() {}

    /**
     * The tasks sorted; dependencies on names not in {@code tasks} are ignored (the validator
     * reports those). Tasks on a cycle are left out, see {@link #cycle}.
     */
    static List<Task> sort(List<Task> tasks) {
        Map<String, Task> byName = new LinkedHashMap<>();
        tasks.forEach(t -> byName.putIfAbsent(t.name(), t));
        List<Task> sorted = new ArrayList<>();
        Set<String> done = new HashSet<>();
        // Quadratic, but pipelines have tens of tasks; the simple loop keeps the tie rule obvious.
        boolean progressed = true;
        while (progressed && sorted.size() < byName.size()) {
            progressed = false;
            for (Task t : byName.values()) {
                if (!done.contains(t.name()) && ready(t, byName, done)) {
                    sorted.add(t);
                    done.add(t.name());
                    progressed = true;
                    break;
                }
            }
        }
        return sorted;
    }

    /** One cycle, as task names from a task back to itself, or an empty list. */
    static List<String> cycle(List<Task> tasks) {
        Map<String, Task> byName = new LinkedHashMap<>();
        tasks.forEach(t -> byName.putIfAbsent(t.name(), t));
        Map<String, Integer> state = new HashMap<>(); // absent: unseen, 1: on the path, 2: finished
        for (Task t : byName.values()) {
            List<String> path = new ArrayList<>();
            List<String> found = visit(t.name(), byName, state, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(String name, Map<String, Task> byName, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            return cycle;
        }
        state.put(name, 1);
        path.add(name);
        for (String dep : byName.get(name).dependencies()) {
            if (byName.containsKey(dep)) {
                List<String> found = visit(dep, byName, state, path);
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        path.remove(path.size() - 1);
        state.put(name, 2);
        return List.of();
    }

    private static boolean ready(Task t, Map<String, Task> byName, Set<String> done) {
        for (String dep : t.dependencies()) {
            if (byName.containsKey(dep) && !done.contains(dep)) {
                return false;
            }
        }
        return true;
    }
}
