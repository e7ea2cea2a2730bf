package dev.tether.models;

import dev.tether.core.artifact.Safetensors;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.artifact.Tensor;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoints and expected numbers written by src/test/python/make_reference.py (an
 * independent torch implementation of GPT-2 and Llama).
 */
public final class Reference {

  private Reference() {}

  public static Path folder(String name) {
    try {
      return Path.of(Reference.class.getResource("/reference/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public record Expected(Map<String, Tensor> tensors, Map<String, String> metadata) {
    public Tensor get(String name) {
      Tensor t = tensors.get(name);
      if (t == null) {
        throw new IllegalArgumentException("no expected tensor " + name);
      }
      return t;
    }
  }

  public static Expected expected(String model) {
    try (SafetensorsFile f = Safetensors.read(folder("expected-" + model + ".safetensors"))) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (String n : f.names()) {
        out.put(n, f.get(n));
      }
      return new Expected(out, f.metadata());
    }
  }
}
