package dev.tether.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs a computation so that only its results outlive it: every intermediate array is closed when
 * it returns (a forward pass creates hundreds), and the results behave like the result of one
 * NDArray operation in the caller's context: attached to {@code out} and registered in the
 * caller's {@link NDScope}, if any. Autograd is unaffected: torch's graph holds its own references.
 */
public final class Scoped {

  private Scoped() {}

  public static NDList keep(NDManager out, Supplier<NDList> body) {
    NDList results;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      results = body.get();
      for (NDArray a : results) {
        NDScope.unregister(a);
        a.attach(out);
      }
    }
    for (NDArray a : results) {
      NDScope.register(a);
    }
    return results;
  }

  public static NDArray keepOne(NDManager out, Supplier<NDArray> body) {
    return keep(out, () -> new NDList(body.get())).singletonOrThrow();
  }
}
