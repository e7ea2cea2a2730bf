package dev.tether.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for the tokens seen so far, [B, kvHeads, past, headDim] each
 * (Llama's keys already rotated, and stored before the grouped-query repeat, so the cache is
 * heads/kvHeads times smaller). Its arrays live in its own manager; closing the cache frees them.
 *
 * <p>Each layer's keys and values sit in a buffer of {@code capacity} positions allocated once;
 * a step writes its new positions in place and attention reads a view of the filled prefix, so a
 * step costs the new tokens, not a copy of everything cached (concatenating every step makes
 * generation quadratic). Past the capacity the buffer doubles, which keeps the copying linear.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final long initialCapacity;
  private long length;

  /** A cache that sizes itself on the first step and doubles when full. */
  public KvCache(NDManager parent, int layers) {
    this(parent, layers, 0);
  }

  /** @param capacity the tokens it will hold (prompt + new tokens); it still grows past them */
  public KvCache(NDManager parent, int layers, long capacity) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.initialCapacity = capacity;
  }

  /** Tokens already cached (the same for every row: prompts are left-padded to one length). */
  public long length() {
    return length;
  }

  /**
   * Writes this step's keys and values [B,kv,T,d] for {@code layer} after the {@link #length()}
   * cached ones and returns views of the whole sequence [B,kv,past+T,d]. The views belong to the
   * caller's scope; the buffers to the cache.
   */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    long t = k.getShape().get(2);
    long filled = length + t;
    keys[layer] = reserve(keys[layer], k, filled);
    values[layer] = reserve(values[layer], v, filled);
    NDIndex fresh = new NDIndex(":, :, {}:{}", length, filled);
    keys[layer].set(fresh, k);
    values[layer].set(fresh, v);
    NDIndex prefix = new NDIndex(":, :, :{}", filled);
    return new NDArray[] {keys[layer].get(prefix), values[layer].get(prefix)};
  }

  /** {@code buffer}, or a larger one holding its first {@link #length()} positions. */
  private NDArray reserve(NDArray buffer, NDArray step, long needed) {
    long capacity = buffer == null ? 0 : buffer.getShape().get(2);
    if (needed <= capacity) {
      return buffer;
    }
    long grown = Math.max(needed, Math.max(initialCapacity, 2 * capacity));
    Shape s = step.getShape();
    NDArray larger = manager.zeros(new Shape(s.get(0), s.get(1), grown, s.get(3)), step.getDataType());
    NDScope.unregister(larger);
    if (buffer != null && length > 0) {
      NDIndex old = new NDIndex(":, :, :{}", length);
      try (NDArray filled = buffer.get(old)) {
        larger.set(old, filled);
      }
    }
    if (buffer != null) {
      buffer.close();
    }
    return larger;
  }

  /** Called once per forward pass, after every layer appended its {@code newTokens}. */
  void advance(long newTokens) {
    length += newTokens;
  }

  @Override
  public void close() {
    manager.close();
  }
}
