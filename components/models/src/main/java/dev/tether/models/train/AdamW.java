package dev.tether.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.DType;
import dev.tether.core.artifact.Tensor;
import dev.tether.models.checkpoint.TensorArrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019) with the exact update of {@code torch.optim.AdamW}. tether
 * keeps its own rather than DJL's {@code Adam} because the moments must be saved and restored
 * (optimizer.safetensors) for a resumed run to continue where it stopped.
 *
 * <p>Weight decay applies to every parameter it is given (torch's single parameter group).
 */
public final class AdamW implements AutoCloseable {

  public static final String EXP_AVG = "exp_avg.";
  public static final String EXP_AVG_SQ = "exp_avg_sq.";
  public static final String STEP = "step";

  public record Settings(double learningRate, double beta1, double beta2, double eps, double weightDecay) {
    public Settings {
      if (!(learningRate >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)
          || !(eps > 0) || !(weightDecay >= 0)) {
        throw new IllegalArgumentException("invalid AdamW settings " + this);
      }
    }

    /** torch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0.01. */
    public static Settings defaults() {
      return new Settings(1e-3, 0.9, 0.999, 1e-8, 0.01);
    }

    public Settings withLearningRate(double lr) {
      return new Settings(lr, beta1, beta2, eps, weightDecay);
    }

    Map<String, String> toMetadata() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("optimizer", "adamw");
      m.put("lr", Double.toString(learningRate));
      m.put("beta1", Double.toString(beta1));
      m.put("beta2", Double.toString(beta2));
      m.put("eps", Double.toString(eps));
      m.put("weight_decay", Double.toString(weightDecay));
      return m;
    }

    static Settings fromMetadata(Map<String, String> m, String source) {
      if (!"adamw".equals(m.get("optimizer"))) {
        throw new ArtifactException(source + ": metadata \"optimizer\" expected \"adamw\", found " + m.get("optimizer"));
      }
      return new Settings(num(m, "lr", source), num(m, "beta1", source), num(m, "beta2", source),
          num(m, "eps", source), num(m, "weight_decay", source));
    }

    private static double num(Map<String, String> m, String key, String source) {
      try {
        return Double.parseDouble(m.get(key));
      } catch (NullPointerException | NumberFormatException e) {
        throw new ArtifactException(source + ": metadata \"" + key + "\" expected a number, found " + m.get(key));
      }
    }
  }

  private final Settings settings;
  private final NDManager manager;
  private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
  private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
  private long step;

  public AdamW(NDManager parent, Settings settings) {
    this.settings = settings;
    this.manager = parent.newSubManager();
  }

  public Settings settings() {
    return settings;
  }

  /** Updates taken so far (torch's {@code state["step"]}). */
  public long stepCount() {
    return step;
  }

  /**
   * One update of every parameter from its accumulated gradient, then zeroes the gradients (DJL's
   * PyTorch GradientCollector accumulates across passes).
   *
   * @throws IllegalStateException if a parameter has no gradient (it was not marked trainable)
   */
  public void step(Map<String, NDArray> parameters) {
    step++;
    double lr = settings.learningRate();
    double b1 = settings.beta1();
    double b2 = settings.beta2();
    double stepSize = lr / (1 - Math.pow(b1, step));
    double bias2Sqrt = Math.sqrt(1 - Math.pow(b2, step));
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray w = e.getValue();
      if (!w.hasGradient()) {
        throw new IllegalStateException("parameter " + e.getKey() + " has no gradient; call requireGradients()");
      }
      try (NDArray g = w.getGradient()) {
        NDArray m = expAvg.computeIfAbsent(e.getKey(), k -> moment(w));
        NDArray v = expAvgSq.computeIfAbsent(e.getKey(), k -> moment(w));
        if (!m.getShape().equals(w.getShape())) { // a restored state from another model
          throw new IllegalStateException("optimizer state for " + e.getKey() + " has shape "
              + m.getShape() + ", the parameter " + w.getShape());
        }
        FusedAdamW.Coefficients c = new FusedAdamW.Coefficients((float) (1 - lr * settings.weightDecay()),
            (float) b1, (float) (1 - b1), (float) b2, (float) (1 - b2), (float) bias2Sqrt,
            (float) settings.eps(), (float) stepSize);
        if (!FusedAdamW.apply(w, g, m, v, c)) {
          engineUpdate(w, g, m, v, c);
        }
        g.set(new NDIndex("..."), 0f);
      }
    }
  }

  /**
   * The update through the engine, for arrays {@link FusedAdamW} cannot address: the same floats
   * in the same order, in place wherever torch is, and each temporary (up to 150 MB) freed before
   * the next is made.
   */
  static void engineUpdate(NDArray w, NDArray g, NDArray m, NDArray v, FusedAdamW.Coefficients c) {
    w.muli(c.decay());
    try (NDArray t = g.mul(c.oneMinusBeta1())) {
      m.muli(c.beta1()).addi(t);
    }
    try (NDArray t = g.square()) {
      v.muli(c.beta2()).addi(t.muli(c.oneMinusBeta2()));
    }
    try (NDArray denominator = v.sqrt()) {
      denominator.divi(c.bias2Sqrt()).addi(c.eps());
      try (NDArray update = m.div(denominator)) {
        w.subi(update.muli(c.stepSize()));
      }
    }
  }

  /**
   * Scales all gradients together so their global L2 norm is at most {@code maxNorm}, as
   * {@code torch.nn.utils.clip_grad_norm_} does, and returns the norm before clipping (NaN or
   * infinite when a gradient is, which a trainer must treat as a stop).
   */
  public static double clipGradientNorm(Map<String, NDArray> parameters, double maxNorm) {
    double sumSquares = 0;
    for (NDArray w : parameters.values()) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        sumSquares += w.getGradient().square().sum().getFloat();
      }
    }
    double norm = Math.sqrt(sumSquares);
    double coefficient = maxNorm / (norm + 1e-6);
    if (coefficient < 1) {
      for (NDArray w : parameters.values()) {
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          w.getGradient().muli((float) coefficient);
        }
      }
    }
    return norm;
  }

  private NDArray moment(NDArray w) {
    NDArray z = manager.zeros(w.getShape(), w.getDataType());
    NDScope.unregister(z);
    return z;
  }

  /** The state as tensors: {@code exp_avg.<param>}, {@code exp_avg_sq.<param>}, {@code step}. */
  public List<Tensor> stateTensors() {
    List<Tensor> out = new ArrayList<>();
    for (String name : expAvg.keySet()) {
      out.add(TensorArrays.toTensor(EXP_AVG + name, expAvg.get(name)));
      out.add(TensorArrays.toTensor(EXP_AVG_SQ + name, expAvgSq.get(name)));
    }
    out.add(Tensor.ofLongs(STEP, new long[0], new long[] {step}));
    return out;
  }

  /** The settings, as safetensors metadata strings. */
  public Map<String, String> metadata() {
    return settings.toMetadata();
  }

  /** Restores an optimizer from {@link #stateTensors()} and {@link #metadata()}. */
  public static AdamW restore(NDManager parent, Map<String, Tensor> tensors, Map<String, String> metadata, String source) {
    AdamW a = new AdamW(parent, Settings.fromMetadata(metadata, source));
    Tensor step = tensors.get(STEP);
    if (step == null || step.dtype() != DType.I64 || step.numel() != 1) {
      throw new ArtifactException(source + ": tensor \"step\" expected one I64, found " + step);
    }
    a.step = step.toLongs()[0];
    for (Tensor t : tensors.values()) {
      if (t.name().startsWith(EXP_AVG_SQ)) {
        a.expAvgSq.put(t.name().substring(EXP_AVG_SQ.length()), TensorArrays.toFloatArray(t, a.manager));
      } else if (t.name().startsWith(EXP_AVG)) {
        a.expAvg.put(t.name().substring(EXP_AVG.length()), TensorArrays.toFloatArray(t, a.manager));
      } else if (!t.name().equals(STEP)) {
        throw new ArtifactException(source + ": unexpected tensor " + t.name());
      }
    }
    if (!a.expAvg.keySet().equals(a.expAvgSq.keySet())) {
      a.close();
      throw new ArtifactException(source + ": exp_avg and exp_avg_sq name different parameters");
    }
    return a;
  }

  /** The first moment of {@code name}, or null before its first update (for tests and resumes). */
  public NDArray firstMoment(String name) {
    return expAvg.get(name);
  }

  public NDArray secondMoment(String name) {
    return expAvgSq.get(name);
  }

  @Override
  public void close() {
    manager.close();
  }
}
