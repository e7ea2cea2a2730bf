package dev.tether.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.generate.Generator;
import dev.tether.models.generate.SamplingParams;
import dev.tether.models.generate.TokenScorer;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.Parameters;
import dev.tether.models.onnx.OnnxExport;
import dev.tether.models.onnx.OnnxScorer;
import dev.tether.models.onnx.TokenBatch;
import dev.tether.models.train.AdamW;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One measurement of tether's speed and peak memory on a GPT-2-shaped model with random weights,
 * printed as one JSON line (bench/run.sh runs each in its own JVM, so its peak RSS is its own).
 *
 * <pre>
 * Bench &lt;measure&gt; &lt;shape&gt; [batch] [prompt] [new] [--reps N] [--warmup N] [--onnx FILE]
 *                                           [--ort-threads N] [--seed N]
 * measure: sample_cache | sample_nocache | score | score_tokens | train | export_onnx | score_onnx | matmul
 * shape:   tiny (L4 D128 H4 V512) | gpt2-small (L12 D768 H12 V50257)
 * </pre>
 *
 * What each measure times (the same work as ../shared/bench/baseline_torch.py where it has one):
 * <ul>
 *   <li>sample_cache / sample_nocache: {@link Generator#generate} of {@code new} tokens after a
 *       {@code prompt}-token prompt, with and without the KV cache; tokens = batch·new.
 *   <li>score: the forward over batch × (prompt+new) tokens and log_softmax over the vocabulary
 *       at every position (the baseline's scoring); score_tokens: {@link TokenScorer#score},
 *       tether's scoring path (log-probs and entropy of the response tokens).
 *   <li>score_onnx: {@link OnnxScorer#responseLogProbs} on ONNX Runtime, from a file written by
 *       export_onnx; tokens = batch·(prompt+new) for all three scorers.
 *   <li>train: forward, cross-entropy of the next token, backward, {@link AdamW} step;
 *       tokens = batch·(prompt+new−1).
 * </ul>
 */
public final class Bench {

  static final Map<String, String> SHAPES = Map.of(
      "tiny", """
          {"model_type": "gpt2", "vocab_size": 512, "n_positions": 256, "n_embd": 128,
           "n_layer": 4, "n_head": 4}""",
      "gpt2-small", """
          {"model_type": "gpt2", "vocab_size": 50257, "n_positions": 1024, "n_embd": 768,
           "n_layer": 12, "n_head": 12}""");

  private Bench() {}

  public static void main(String[] args) throws IOException {
    if (args.length >= 1 && args[0].equals("table")) {
      Table.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Options o = Options.parse(args);
    ModelConfig config = ModelConfig.parse(ModelConfig.JSON.readTree(SHAPES.get(o.shape)), o.shape);
    try (NDManager base = NDManager.newBaseManager("PyTorch")) {
      Measure measure = switch (o.measure) {
        case "matmul" -> matmul(base);
        case "export_onnx" -> exportOnnx(base, config, o);
        case "score_onnx" -> scoreOnnx(config, o);
        default -> modelMeasure(base, config, o);
      };
      print(o, config, measure);
    }
  }

  /**
   * A timed body's result: the tokens one call processes, wall seconds per call, and the
   * process's CPU seconds per call (all threads; on a shared machine wall time includes waiting
   * for a core, CPU time does not).
   */
  record Measure(long tokens, double[] seconds, double[] cpuSeconds, Map<String, Object> extra) {
    Measure(long tokens, Timing t, Map<String, Object> extra) {
      this(tokens, t.wall, t.cpu, extra);
    }
  }

  record Timing(double[] wall, double[] cpu) {}

  interface Body {
    void run() throws Exception;
  }

  static Timing time(Options o, Body body) {
    try {
      for (int i = 0; i < o.warmup; i++) {
        body.run();
      }
      double[] wall = new double[o.reps];
      double[] cpu = new double[o.reps];
      for (int i = 0; i < o.reps; i++) {
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        body.run();
        wall[i] = (System.nanoTime() - t0) / 1e9;
        cpu[i] = (processCpuNanos() - c0) / 1e9;
      }
      return new Timing(wall, cpu);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  // ---------------------------------------------------------------- measures on the PyTorch engine

  static Measure modelMeasure(NDManager base, ModelConfig config, Options o) {
    SplittableRandom rng = new SplittableRandom(o.seed);
    int v = config.vocabSize();
    int t = o.prompt + o.newTokens;
    try (CausalLM model = randomModel(config, base, o.seed)) {
      switch (o.measure) {
        case "sample_cache", "sample_nocache" -> {
          boolean cache = o.measure.equals("sample_cache");
          List<int[]> prompts = new ArrayList<>();
          for (int b = 0; b < o.batch; b++) {
            prompts.add(rng.ints(o.prompt, 0, v).toArray());
          }
          SamplingParams params = SamplingParams.sampling(o.newTokens, o.seed);
          Timing s = time(o, () -> {
            int got = Generator.generate(model, prompts, params, cache).responseLength();
            if (got != o.newTokens) {
              throw new IllegalStateException("generated " + got + " tokens, expected " + o.newTokens);
            }
          });
          return new Measure((long) o.batch * o.newTokens, s, Map.of());
        }
        case "score" -> {
          int[] ids = rng.ints((long) o.batch * t, 0, v).toArray();
          Timing s = time(o, () -> {
            try (NDManager m = base.newSubManager()) {
              NDArray x = m.create(ids, new Shape(o.batch, t));
              NDArray mask = m.ones(new Shape(o.batch, t), DataType.INT32);
              model.logits(x, mask).logSoftmax(-1);
            }
          });
          return new Measure((long) o.batch * t, s, Map.of("gflop", forwardFlops(config, o.batch, t) / 1e9));
        }
        case "score_tokens" -> {
          int[] query = rng.ints((long) o.batch * o.prompt, 0, v).toArray();
          int[] response = rng.ints((long) o.batch * o.newTokens, 0, v).toArray();
          Timing s = time(o, () -> {
            try (NDManager m = base.newSubManager()) {
              Shape qs = new Shape(o.batch, o.prompt);
              Shape rs = new Shape(o.batch, o.newTokens);
              TokenScorer.score(model, null, m.create(query, qs), m.ones(qs, DataType.INT32),
                  m.create(response, rs), m.ones(rs, DataType.INT32), 1f);
            }
          });
          return new Measure((long) o.batch * t, s, Map.of());
        }
        case "train" -> {
          int[] ids = rng.ints((long) o.batch * t, 0, v).toArray();
          model.parameters().requireGradients();
          Map<String, NDArray> params = model.parameters().asMap();
          try (AdamW adam = new AdamW(base, AdamW.Settings.defaults().withLearningRate(1e-5))) {
            double[] optimizer = new double[1];
            long[] rss = new long[2];
            Timing s = time(o, () -> {
              try (NDManager m = base.newSubManager()) {
                NDArray seq = m.create(ids, new Shape(o.batch, t));
                NDArray inputs = seq.get(new NDIndex(":, :-1"));
                NDArray targets = seq.get(new NDIndex(":, 1:")).toType(DataType.INT64, false);
                NDArray mask = m.ones(inputs.getShape(), DataType.INT32);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                  NDArray logp = model.logits(inputs, mask).logSoftmax(-1);
                  NDArray loss = logp.gather(targets.expandDims(-1), -1).mean().neg();
                  gc.backward(loss);
                }
              }
              rss[0] = Math.max(rss[0], rssMb("VmRSS"));
              long t0 = System.nanoTime();
              adam.step(params);
              optimizer[0] = (System.nanoTime() - t0) / 1e9; // the last run's
              rss[1] = Math.max(rss[1], rssMb("VmRSS"));
            });
            return new Measure((long) o.batch * (t - 1), s, Map.of("optimizer_s", optimizer[0],
                "rss_after_backward_mb", rss[0], "rss_after_step_mb", rss[1]));
          }
        }
        default -> throw new IllegalArgumentException("unknown measure " + o.measure);
      }
    }
  }

  /** fp32 matmul throughput of a 2048² product, as the baseline measures it. */
  static Measure matmul(NDManager base) {
    Options o = new Options();
    o.warmup = 1;
    o.reps = 5;
    try (NDManager m = base.newSubManager()) {
      NDArray a = m.randomNormal(new Shape(2048, 2048));
      Timing s = time(o, () -> a.matMul(a).close());
      return new Measure(0, s, Map.of("gflops", 2.0 * Math.pow(2048, 3) / median(s.wall()) / 1e9));
    }
  }

  // ---------------------------------------------------------------- ONNX Runtime

  static Measure exportOnnx(NDManager base, ModelConfig config, Options o) throws IOException {
    Files.createDirectories(o.onnx.toAbsolutePath().getParent());
    try (CausalLM model = randomModel(config, base, o.seed)) {
      long t0 = System.nanoTime();
      OnnxExport.causalLm(model).write(o.onnx);
      double[] once = {(System.nanoTime() - t0) / 1e9};
      return new Measure(0, once, once, Map.of("file", o.onnx.toString()));
    }
  }

  static Measure scoreOnnx(ModelConfig config, Options o) {
    SplittableRandom rng = new SplittableRandom(o.seed);
    int t = o.prompt + o.newTokens;
    long[][] ids = new long[o.batch][t];
    long[][] mask = new long[o.batch][t];
    for (int b = 0; b < o.batch; b++) {
      ids[b] = rng.longs(t, 0, config.vocabSize()).toArray();
      Arrays.fill(mask[b], 1);
    }
    TokenBatch batch = TokenBatch.of(ids, mask);
    Map<String, String> options = new LinkedHashMap<>();
    options.put(OnnxScorer.ROWS_PER_RUN, Integer.toString(o.batch));
    if (o.ortThreads > 0) {
      options.put("intraOpNumThreads", Integer.toString(o.ortThreads));
      options.put("interOpNumThreads", "1");
    }
    try (OnnxScorer scorer = OnnxScorer.load(o.onnx, options)) {
      Timing s = time(o, () -> scorer.responseLogProbs(batch, o.prompt, 1f));
      return new Measure((long) o.batch * t, s, Map.of("ort_threads", o.ortThreads));
    }
  }

  // ---------------------------------------------------------------- model, FLOPs, output

  /** Weights from the engine's RNG (fast for 124M): biases 0, norm gains 1, the rest N(0, 0.02²). */
  static CausalLM randomModel(ModelConfig config, NDManager parent, long seed) {
    NDManager m = parent.newSubManager();
    Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    Map<String, Shape> shapes = CausalLM.parameterShapes(config);
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    shapes.forEach((name, shape) -> {
      NDArray a;
      if (name.endsWith(".bias")) {
        a = m.zeros(shape);
      } else if (shape.dimension() == 1) {
        a = m.ones(shape);
      } else {
        a = m.randomNormal(0f, 0.02f, shape, DataType.FLOAT32);
      }
      a.setName(name);
      arrays.put(name, a);
    });
    return CausalLM.create(config, Parameters.of(m, shapes, arrays));
  }

  /** Multiply-adds ×2 of a GPT-2 forward over b×t tokens with the LM head at every position. */
  static double forwardFlops(ModelConfig c, int b, int t) {
    double d = c.hiddenSize();
    double perToken = 2 * (c.numLayers() * 12 * d * d + (double) c.vocabSize() * d);
    double attention = 2.0 * 2 * c.numLayers() * (double) t * t * d; // q·kᵀ and p·v, per row
    return b * (t * perToken + attention);
  }

  static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static void print(Options o, ModelConfig config, Measure m) {
    double median = median(m.seconds);
    ObjectNode j = ModelConfig.JSON.createObjectNode();
    j.put("impl", "tether");
    j.put("measure", o.measure);
    j.put("shape", o.shape);
    j.put("batch", o.batch);
    j.put("prompt", o.prompt);
    j.put("new", o.newTokens);
    j.put("tokens", m.tokens);
    j.put("median_s", round(median, 5));
    var runs = j.putArray("runs_s");
    for (double s : m.seconds) {
      runs.add(round(s, 5));
    }
    j.put("median_cpu_s", round(median(m.cpuSeconds), 5));
    if (m.tokens > 0) {
      j.put("tok_s", round(m.tokens / median, 1));
      j.put("tok_per_cpu_s", round(m.tokens / median(m.cpuSeconds), 1));
      j.put("ms_per_token", round(1000 * median / m.tokens, 4));
      if (o.measure.startsWith("sample")) {
        j.put("ms_per_step", round(1000 * median / o.newTokens, 3));
      }
    }
    m.extra.forEach((k, v) -> j.putPOJO(k, v instanceof Double d ? round(d, 3) : v));
    if (m.extra.containsKey("gflop")) {
      j.put("gflop_s", round((Double) m.extra.get("gflop") / median, 1));
    }
    j.put("peak_rss_mb", peakRssMb());
    j.put("torch_threads", JniUtils.getNumThreads());
    j.put("torch_interop_threads", JniUtils.getNumInteropThreads());
    j.put("omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", ""));
    j.put("params", paramCount(config));
    System.out.println(j);
  }

  static long paramCount(ModelConfig config) {
    return CausalLM.parameterShapes(config).values().stream().mapToLong(Shape::size).sum();
  }

  /** VmHWM: this process's peak resident set size, in MB. */
  static long peakRssMb() {
    return rssMb("VmHWM");
  }

  /** A field of /proc/self/status in MB: VmHWM (peak resident set) or VmRSS (now). */
  static long rssMb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // not Linux: no figure
    }
    return -1;
  }

  static double round(double x, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }

  static final class Options {
    String measure;
    String shape;
    int batch;
    int prompt = 16;
    int newTokens;
    int reps;
    int warmup = -1;
    int ortThreads;
    long seed = 0;
    Path onnx;

    static Options parse(String[] args) {
      Options o = new Options();
      List<String> positional = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--reps" -> o.reps = Integer.parseInt(args[++i]);
          case "--warmup" -> o.warmup = Integer.parseInt(args[++i]);
          case "--onnx" -> o.onnx = Path.of(args[++i]);
          case "--ort-threads" -> o.ortThreads = Integer.parseInt(args[++i]);
          case "--seed" -> o.seed = Long.parseLong(args[++i]);
          default -> positional.add(args[i]);
        }
      }
      if (positional.size() < 2 || !SHAPES.containsKey(positional.get(1))) {
        throw new IllegalArgumentException(
            "usage: Bench <measure> tiny|gpt2-small [batch] [prompt] [new] [--reps N] [--warmup N] [--onnx FILE]");
      }
      o.measure = positional.get(0);
      o.shape = positional.get(1);
      boolean tiny = o.shape.equals("tiny");
      o.batch = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : tiny ? 8 : 4;
      o.prompt = positional.size() > 3 ? Integer.parseInt(positional.get(3)) : 16;
      o.newTokens = positional.size() > 4 ? Integer.parseInt(positional.get(4)) : tiny ? 64 : 32;
      if (o.reps == 0) {
        boolean sampling = o.measure.startsWith("sample");
        o.reps = tiny ? (sampling ? 5 : 20) : o.measure.equals("sample_nocache") ? 2 : 3;
      }
      if (o.warmup < 0) {
        o.warmup = tiny && !o.measure.startsWith("sample") ? 3 : 1;
      }
      if (o.onnx == null) {
        o.onnx = Path.of("bench/target/onnx/" + o.shape + ".onnx");
      }
      return o;
    }
  }
}
