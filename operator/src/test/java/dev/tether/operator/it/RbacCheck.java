package dev.tether.operator.it;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every request the operator sent, as the API server's authorizer sees it (verb, group, resource),
 * against the ClusterRole in deploy/: what it lacks would be a 403 in a real cluster.
 */
public final class RbacCheck {
    /** /api/v1/... or /apis/group/version/..., then [namespaces/ns/]resource[/name[/subresource]]. */
    private static final Pattern PATH = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/[^/]+)?/([^/?]+)(?:/([^/?]+))?(?:/([^/?]+))?$");

    private RbacCheck() {
    }

    public static ClusterRole clusterRole() {
        Path file = Path.of(System.getProperty("tether.operator.dir", "."), "deploy/rbac/clusterrole.yaml");
        try (InputStream in = Files.newInputStream(file)) {
            return Serialization.unmarshal(in, ClusterRole.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** @return the requests the role does not allow, with the rule they would need */
    public static List<String> denied(ClusterRole role, Collection<String> requests) {
        List<String> denied = new ArrayList<>();
        for (String request : requests) {
            String method = request.substring(0, request.indexOf(' '));
            String target = request.substring(request.indexOf(' ') + 1);
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            String query = target.contains("?") ? target.substring(target.indexOf('?') + 1) : "";
            Matcher m = PATH.matcher(path);
            if (!m.matches() || path.matches("^/apis?(/[^/]+){0,2}$")) {
                continue; // discovery, allowed to every authenticated user
            }
            String group = m.group(1) == null ? "" : m.group(1);
            String resource = m.group(2) + (m.group(4) != null ? "/" + m.group(4) : "");
            boolean named = m.group(3) != null;
            String verb = switch (method) {
                case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> named ? "delete" : "deletecollection";
                default -> method;
            };
            boolean allowed = role.getRules().stream().anyMatch(r -> allows(r, group, resource, verb));
            if (!allowed) {
                denied.add(request + " needs " + verb + " on " + (group.isEmpty() ? "core" : group) + "/" + resource);
            }
        }
        return denied;
    }

    private static boolean allows(PolicyRule rule, String group, String resource, String verb) {
        return rule.getApiGroups().contains(group) && rule.getResources().contains(resource) && rule.getVerbs().contains(verb);
    }
}
