package dev.tether.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of every layer for the tokens seen so far, [B, kvHeads, past, headDim] each
 * (Llama's keys already rotated, and stored before the grouped-query repeat, so the cache is
 * heads/kvHeads times smaller). Its arrays live in its own manager; closing the cache frees them.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private long length;

  public KvCache(NDManager parent, int layers) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Tokens already cached (the same for every row: prompts are left-padded to one length). */
  public long length() {
    return length;
  }

  /**
   * Appends this step's keys and values [B,kv,T,d] for {@code layer} and returns the whole
   * sequence [B,kv,past+T,d]. The returned arrays belong to the cache, not to the caller's scope.
   */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    NDArray fullK = keys[layer] == null ? k.duplicate() : keys[layer].concat(k, 2);
    NDArray fullV = values[layer] == null ? v.duplicate() : values[layer].concat(v, 2);
    NDScope.unregister(fullK, fullV);
    fullK.attach(manager);
    fullV.attach(manager);
    if (keys[layer] != null) {
      keys[layer].close();
      values[layer].close();
    }
    keys[layer] = fullK;
    values[layer] = fullV;
    return new NDArray[] {fullK, fullV};
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
