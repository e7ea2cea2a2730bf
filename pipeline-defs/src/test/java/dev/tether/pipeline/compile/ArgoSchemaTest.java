package dev.tether.pipeline.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every generated Argo document against the published Argo Workflows v4.1 JSON schema
 * (shared/schemas/argo-workflows.schema.json, copied to src/test/resources/schemas so the build
 * reads nothing outside the repository), with networknt's validator.
 *
 * <p>The published schema leaves {@code additionalProperties} open, so a misspelt field
 * ({@code retrystrategy}) would pass it while the Argo API server's strict decoding and
 * {@code argo lint} reject it. Documents are therefore also validated against a strict copy
 * in which every object type with declared properties allows no others.
 */
class ArgoSchemaTest {
    static final JsonSchema PUBLISHED = load(false);
    static final JsonSchema STRICT = load(true);
    final ArgoCompiler compiler = new ArgoCompiler(CompileSettings.defaults());

    static JsonSchema load(boolean strict) {
        try (InputStream in = ArgoSchemaTest.class.getResourceAsStream("/schemas/argo-workflows.schema.json")) {
            JsonNode schema = new ObjectMapper().readTree(in);
            if (strict) {
                for (Map.Entry<String, JsonNode> d : schema.path("definitions").properties()) {
                    if (d.getValue().has("properties") && !d.getValue().has("additionalProperties")) {
                        ((ObjectNode) d.getValue()).put("additionalProperties", false);
                    }
                }
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<String> errors(JsonSchema schema, JsonNode doc) {
        return schema.validate(doc).stream().map(ValidationMessage::getMessage).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    List<JsonNode> documents() {
        return List.of(
                Yaml.readOne(compiler.workflowTemplateYaml(KfpCompilerTest.RLHF)),
                Yaml.readOne(compiler.cronWorkflowYaml(KfpCompilerTest.RLHF)),
                Yaml.readOne(compiler.workflowTemplateYaml(KfpCompilerTest.TOY)),
                Yaml.readOne(compiler.cronWorkflowYaml(KfpCompilerTest.TOY)));
    }

    @Test
    void everyGeneratedDocumentValidatesAgainstThePublishedSchema() {
        for (JsonNode doc : documents()) {
            assertThat(errors(PUBLISHED, doc)).as(doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText()).isEmpty();
        }
    }

    @Test
    void everyGeneratedDocumentHasOnlyFieldsTheSchemaDeclares() {
        for (JsonNode doc : documents()) {
            assertThat(errors(STRICT, doc)).as(doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText()).isEmpty();
        }
    }

    @Test
    void theSchemaCatchesWhatItShould() {
        // IntOrString is typed as a string in this schema: an integer retry limit fails it.
        assertThat(errors(PUBLISHED, broken(t -> ((ObjectNode) container(t, "reward").path("retryStrategy")).put("limit", 2))))
                .isNotEmpty();
        assertThat(errors(PUBLISHED, broken(t -> ((ObjectNode) t).put("kind", "Workflowtemplate")))).isNotEmpty();
        // a container needs an image
        assertThat(errors(PUBLISHED, broken(t -> ((ObjectNode) container(t, "reward").path("container")).remove("image")))).isNotEmpty();
        // a misspelt field passes the published schema but not the strict one
        Consumer<JsonNode> misspelt = t -> ((ObjectNode) container(t, "reward")).set("retrystrategy",
                container(t, "reward").path("retryStrategy"));
        assertThat(errors(PUBLISHED, broken(misspelt))).isEmpty();
        assertThat(errors(STRICT, broken(misspelt))).isNotEmpty();
    }

    private JsonNode broken(Consumer<JsonNode> change) {
        JsonNode doc = compiler.workflowTemplate(KfpCompilerTest.RLHF).deepCopy();
        change.accept(doc);
        return doc;
    }

    private static JsonNode container(JsonNode doc, String name) {
        return ArgoCompilerTest.template(doc, name);
    }
}
