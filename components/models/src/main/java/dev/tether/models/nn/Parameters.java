package dev.tether.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tether.core.artifact.ArtifactException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Named float32 weights, keyed by their Hugging Face names, living in one {@link NDManager} that
 * closing this object frees. The names are the checkpoint's names, so loading is a name map.
 */
public final class Parameters implements AutoCloseable {

  private final NDManager manager;
  private final Map<String, NDArray> arrays;

  private Parameters(NDManager manager, Map<String, NDArray> arrays) {
    this.manager = manager;
    this.arrays = arrays;
  }

  /**
   * Takes ownership of {@code arrays} (already in {@code manager}) after checking every expected
   * name is present with the expected shape; extra names are an error too.
   */
  public static Parameters of(NDManager manager, Map<String, Shape> expected, Map<String, NDArray> arrays) {
    Map<String, NDArray> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      NDArray a = arrays.get(e.getKey());
      if (a == null) {
        throw new ArtifactException("missing parameter " + e.getKey() + " (expected shape " + e.getValue() + ")");
      }
      if (!a.getShape().equals(e.getValue())) {
        throw new ArtifactException(
            "parameter " + e.getKey() + " has shape " + a.getShape() + ", expected " + e.getValue());
      }
      if (a.getDataType() != DataType.FLOAT32) {
        throw new ArtifactException("parameter " + e.getKey() + " is " + a.getDataType() + ", expected float32");
      }
      ordered.put(e.getKey(), a);
    }
    for (String name : arrays.keySet()) {
      if (!expected.containsKey(name)) {
        throw new ArtifactException("unexpected parameter " + name);
      }
    }
    return new Parameters(manager, ordered);
  }

  /**
   * Fresh weights from a seeded Java RNG, so initialisation does not depend on the engine's RNG:
   * biases 0, norm gains 1, everything else N(0, std²) (GPT-2 and Llama both use std 0.02).
   */
  public static Parameters initialize(NDManager parent, Map<String, Shape> shapes, double std, long seed) {
    NDManager manager = parent.newSubManager();
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : shapes.entrySet()) {
      String name = e.getKey();
      Shape shape = e.getValue();
      NDArray a;
      if (name.endsWith(".bias")) {
        a = manager.zeros(shape, DataType.FLOAT32);
      } else if (isNormGain(name)) {
        a = manager.ones(shape, DataType.FLOAT32);
      } else {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (rng.nextGaussian() * std);
        }
        a = manager.create(values, shape);
      }
      a.setName(name);
      arrays.put(name, a);
    }
    return new Parameters(manager, arrays);
  }

  private static boolean isNormGain(String name) {
    return name.endsWith(".weight")
        && (name.contains(".ln_") || name.contains("layernorm") || name.endsWith("norm.weight"));
  }

  public NDArray get(String name) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    return a;
  }

  public boolean contains(String name) {
    return arrays.containsKey(name);
  }

  /** Name → array in the architecture's order; the arrays are live (train them in place). */
  public Map<String, NDArray> asMap() {
    return Collections.unmodifiableMap(arrays);
  }

  public NDManager manager() {
    return manager;
  }

  /** Marks every array as a leaf that collects gradients (needed before a GradientCollector). */
  public void requireGradients() {
    arrays.values().forEach(a -> a.setRequiresGradient(true));
  }

  public long count() {
    return arrays.values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  @Override
  public void close() {
    manager.close();
  }
}
