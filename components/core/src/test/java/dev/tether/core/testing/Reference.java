package dev.tether.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the committed reference values (made by src/test/python) into NDArrays. */
public final class Reference {
    private final JsonNode root;

    private Reference(JsonNode root) {
        this.root = root;
    }

    public static Reference load(String resource) {
        try (InputStream in = Reference.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource missing: " + resource);
            }
            return new Reference(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node at a '/'-separated path, failing loudly when absent. */
    public JsonNode at(String path) {
        JsonNode n = root.at("/" + path);
        if (n.isMissingNode()) {
            throw new IllegalStateException("reference has no " + path);
        }
        return n;
    }

    public double scalar(String path) {
        return at(path).asDouble();
    }

    /** A nested JSON list of numbers as a float32 NDArray of the same shape. */
    public NDArray array(NDManager manager, String path) {
        JsonNode n = at(path);
        List<Long> dims = new ArrayList<>();
        for (JsonNode c = n; c.isArray(); c = c.get(0)) {
            dims.add((long) c.size());
        }
        List<Float> flat = new ArrayList<>();
        flatten(n, flat);
        float[] v = new float[flat.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = flat.get(i);
        }
        return manager.create(v, new Shape(dims.stream().mapToLong(Long::longValue).toArray()));
    }

    private static void flatten(JsonNode n, List<Float> out) {
        if (n.isArray()) {
            n.forEach(c -> flatten(c, out));
        } else {
            out.add((float) n.asDouble());
        }
    }
}
