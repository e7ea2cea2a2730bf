package dev.tether.pipeline.compile;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The one YAML style of the generated specs, chosen so that a rendering is byte-for-byte stable
 * (the committed files are compared with a fresh compile) and reads like hand-written Kubernetes
 * YAML: block style, list items indented under their key, quotes only where YAML would otherwise
 * read a string as another type ({@code "0"}, {@code "true"}), no line folding.
 */
public final class Yaml {
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // With MINIMIZE_QUOTES a string "2" would come out bare and read back as a number.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .stringQuotingChecker(new Quoting())
            .build();
    // Plain decimals (0.00001, not 1.0E-5): YAML 1.1 readers (PyYAML) take 1.0E5 for a string.
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY).enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private Yaml() {}

    /**
     * Quotes, beyond Jackson's defaults, every string some YAML reader would take for a number or
     * a date: YAML 1.2 reads {@code 1e-5} as a float and YAML 1.1 reads {@code 1_000} and
     * {@code 1:30} as integers, while Argo parameters must stay strings.
     */
    private static final class Quoting extends StringQuotingChecker.Default {
        private static final Pattern NUMBERISH = Pattern.compile(
                "[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
                        + "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+"
                        + "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*");

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || NUMBERISH.matcher(value).matches();
        }
    }

    static JsonNodeFactory nodes() {
        return JsonNodeFactory.withExactBigDecimals(true);
    }

    static ObjectNode object() {
        return nodes().objectNode();
    }

    static ArrayNode array() {
        return nodes().arrayNode();
    }

    /** One document, with a comment header (each line gets {@code # }). */
    public static String write(JsonNode document, List<String> header) {
        StringBuilder out = new StringBuilder();
        header.forEach(line -> out.append(line.isEmpty() ? "#" : "# " + line).append('\n'));
        try {
            out.append(MAPPER.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML: " + e.getOriginalMessage(), e);
        }
        return out.toString();
    }

    /** The documents of {@code text}, in order (a YAML stream may hold several). */
    public static List<JsonNode> readAll(String text) {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = FACTORY.createParser(text)) {
            var it = MAPPER.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    /** The single document of {@code text}; the error says how many there were. */
    public static JsonNode readOne(String text) {
        List<JsonNode> docs = readAll(text);
        if (docs.size() != 1) {
            throw new IllegalArgumentException("expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    /**
     * A copy with every object's keys in alphabetical order, as the KFP SDK writes its IR; lists
     * keep their order (it means something there).
     */
    static JsonNode sortedKeys(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                sorted.put(e.getKey(), sortedKeys(e.getValue()));
            }
            ObjectNode out = object();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = array();
            node.forEach(n -> out.add(sortedKeys(n)));
            return out;
        }
        return node;
    }
}
