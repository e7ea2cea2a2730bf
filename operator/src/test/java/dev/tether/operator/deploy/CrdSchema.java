package dev.tether.operator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A CRD's openAPIV3Schema as a JSON-schema validator, checking what the API server checks from the
 * schema: types, required fields, enums, minimums (OpenAPI 3.0's boolean exclusiveMinimum is draft 4's),
 * patterns. CEL rules (x-kubernetes-validations) are the API server's own and are not evaluated here.
 */
public final class CrdSchema {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String META = "https://tether.dev/schemas/crd-openapi-v3";

    private final JsonSchema schema;
    final JsonNode crd;

    private CrdSchema(JsonNode crd) {
        this.crd = crd;
        JsonMetaSchema meta = JsonMetaSchema.builder(META, JsonMetaSchema.getV4())
                .keywords(List.of(
                        new NonValidationKeyword("x-kubernetes-validations"),
                        new NonValidationKeyword("x-kubernetes-preserve-unknown-fields"),
                        new NonValidationKeyword("x-kubernetes-int-or-string"),
                        new NonValidationKeyword("x-kubernetes-list-type"),
                        new NonValidationKeyword("x-kubernetes-map-type"),
                        new NonValidationKeyword("nullable")))
                .build();
        JsonSchemaFactory factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4))
                .metaSchema(meta).defaultMetaSchemaIri(META).build();
        this.schema = factory.getSchema(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
    }

    public static CrdSchema load(Path file) throws IOException {
        return new CrdSchema(YAML.readTree(file.toFile()));
    }

    /** Validation messages, each with the JSON path of the field; empty when the resource is valid. */
    public Set<String> validate(JsonNode resource) {
        Set<ValidationMessage> messages = schema.validate(resource);
        return messages.stream().map(ValidationMessage::getMessage).collect(Collectors.toCollection(TreeSet::new));
    }
}
