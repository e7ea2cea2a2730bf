package dev.tether.models.onnx;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tether.core.artifact.ArtifactException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores token batches with a frozen ONNX model on ONNX Runtime (DJL's "OnnxRuntime" engine): the
 * reference policy's per-token log-probs of a response, or a reward model's logits. The model's
 * signature is checked when it is loaded ({@link OnnxSignature#require}).
 *
 * <p>Rows go through ONNX Runtime {@link #rowsPerRun} at a time, so a large batch never holds all
 * its [rows, sequence, vocab] logits at once. Every NDArray lives in the predictor's per-call
 * manager, closed when the call returns; results are plain Java arrays.
 */
public final class OnnxScorer implements AutoCloseable {

  /** DJL engine name of ONNX Runtime. */
  public static final String ENGINE = "OnnxRuntime";
  /** Option key for {@link #load(Path, Map)}: rows per ONNX Runtime call (default 8). */
  public static final String ROWS_PER_RUN = "rowsPerRun";

  private final Model model;
  private final OrtSession.SessionOptions sessionOptions;
  private final OnnxSignature signature;
  private final int rowsPerRun;

  private OnnxScorer(
      Model model, OrtSession.SessionOptions sessionOptions, OnnxSignature signature, int rowsPerRun) {
    this.model = model;
    this.sessionOptions = sessionOptions;
    this.signature = signature;
    this.rowsPerRun = rowsPerRun;
  }

  /** Loads a causal LM ({@code logits} [batch, sequence, vocab]) or a sequence classifier. */
  public static OnnxScorer load(Path onnxFile) {
    return load(onnxFile, Map.of());
  }

  /**
   * @param options {@value #ROWS_PER_RUN}; DJL's ONNX Runtime session options
   *     ({@code intraOpNumThreads}, {@code interOpNumThreads}, {@code optLevel}, ...); and ONNX
   *     Runtime session config entries by their own "session." keys, e.g.
   *     {@code session.disable_prepacking=1} (GPT-2 small: peak RSS about 0.15 GB lower, scoring
   *     about 10 % slower)
   */
  public static OnnxScorer load(Path onnxFile, Map<String, String> options) {
    OnnxSignature signature = OnnxSignature.read(onnxFile).require(3, 2);
    int rows = Integer.parseInt(options.getOrDefault(ROWS_PER_RUN, "8"));
    if (rows < 1) {
      throw new IllegalArgumentException(ROWS_PER_RUN + " must be at least 1, found " + rows);
    }
    String name = onnxFile.getFileName().toString().replaceFirst("\\.onnx$", "");
    OrtSession.SessionOptions ort = new OrtSession.SessionOptions();
    Map<String, Object> djl = new HashMap<>();
    Model model = Model.newInstance(name, Device.cpu(), ENGINE);
    try {
      for (Map.Entry<String, String> e : options.entrySet()) {
        if (e.getKey().startsWith("session.")) {
          ort.addConfigEntry(e.getKey(), e.getValue());
        } else if (!e.getKey().equals(ROWS_PER_RUN)) {
          djl.put(e.getKey(), e.getValue());
        }
      }
      djl.put("sessionOptions", ort); // DJL applies its own keys to this object
      model.load(onnxFile, name, djl);
    } catch (IOException | MalformedModelException | OrtException e) {
      model.close();
      ort.close();
      throw new ArtifactException(onnxFile + ": ONNX Runtime cannot load it: " + e.getMessage()
          + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"), e);
    }
    return new OnnxScorer(model, ort, signature, rows);
  }

  public OnnxSignature signature() {
    return signature;
  }

  public int rowsPerRun() {
    return rowsPerRun;
  }

  /**
   * log p(token) of each response token under the model at {@code temperature} (logits divided by
   * it first, as the sampler did): result[b][j] scores column {@code responseStart + j} of row b
   * from the logits at the column before it, log_softmax then gather. Padding columns get a
   * number too; the caller's response mask decides which count.
   *
   * @return [batch][sequence − responseStart]
   */
  public float[][] responseLogProbs(TokenBatch batch, int responseStart, float temperature) {
    requireRank(3, "response log-probs");
    if (responseStart < 1 || responseStart >= batch.sequence()) {
      throw new IllegalArgumentException("responseStart must lie in [1, " + batch.sequence()
          + "): the first response token is predicted from the token before it; found " + responseStart);
    }
    if (!(temperature > 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be positive and finite, found " + temperature);
    }
    return run(batch, new ResponseLogProbs(responseStart, temperature));
  }

  /** A sequence classifier's (reward model's) logits: [batch][num_labels]. */
  public float[][] sequenceLogits(TokenBatch batch) {
    requireRank(2, "sequence logits");
    return run(batch, new Logits2d());
  }

  /**
   * The model's {@code logits} for a batch, created in {@code manager}: a causal LM's [B,T,V] or
   * a classifier's [B,L].
   */
  public NDArray logits(NDManager manager, TokenBatch batch) {
    float[][] rows = run(batch, new Logits2d());
    int width = signature.logitsRank() == 3 ? rows[0].length / batch.sequence() : rows[0].length;
    float[] flat = new float[rows.length * rows[0].length];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(rows[b], 0, flat, b * rows[b].length, rows[b].length);
    }
    Shape shape = signature.logitsRank() == 3 ? new Shape(batch.batch(), batch.sequence(), width)
        : new Shape(batch.batch(), width);
    return manager.create(flat, shape);
  }

  @Override
  public void close() {
    model.close();
    sessionOptions.close(); // ours: DJL closes only the options it made itself
  }

  // ---------------------------------------------------------------- running

  private float[][] run(TokenBatch batch, Forward translator) {
    checkVocabulary(batch);
    float[][] out = new float[batch.batch()][];
    try (Predictor<TokenBatch, float[][]> predictor = model.newPredictor(translator)) {
      for (int from = 0; from < batch.batch(); from += rowsPerRun) {
        int to = Math.min(batch.batch(), from + rowsPerRun);
        float[][] part = predictor.predict(batch.rows(from, to));
        System.arraycopy(part, 0, out, from, part.length);
      }
    } catch (TranslateException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ArtifactException(signature.file() + ": ONNX Runtime failed on a [" + batch.batch()
          + ", " + batch.sequence() + "] batch: " + cause.getMessage(), e);
    }
    return out;
  }

  /** A causal LM states its vocabulary size; an id past it is the caller's error, said as such. */
  private void checkVocabulary(TokenBatch batch) {
    List<String> dims = signature.outputs().get(DecoderGraph.LOGITS).dims();
    if (dims.size() != 3 || !dims.get(2).chars().allMatch(Character::isDigit)) {
      return;
    }
    long vocab = Long.parseLong(dims.get(2));
    for (int b = 0; b < batch.batch(); b++) {
      for (int t = 0; t < batch.sequence(); t++) {
        if (batch.id(b, t) >= vocab) {
          throw new IllegalArgumentException("input_ids[" + b + ", " + t + "] = " + batch.id(b, t)
              + " lies outside the vocabulary of " + signature.file() + " (" + vocab + " tokens)");
        }
      }
    }
  }

  private void requireRank(int rank, String what) {
    if (signature.logitsRank() != rank) {
      throw new IllegalStateException(signature.file() + ": " + what + " need logits of rank " + rank
          + ", this model's logits are " + signature.outputs().get(DecoderGraph.LOGITS));
    }
  }

  /** Feeds ids, mask (and the optional inputs the model has), reads {@code logits} row by row. */
  private abstract class Forward implements NoBatchifyTranslator<TokenBatch, float[][]> {

    private static final String BATCH = "batch";

    @Override
    public NDList processInput(TranslatorContext ctx, TokenBatch batch) {
      ctx.setAttachment(BATCH, batch);
      NDManager m = ctx.getNDManager();
      Shape shape = new Shape(batch.batch(), batch.sequence());
      NDList list = new NDList(
          named(m.create(batch.inputIds(), shape), DecoderGraph.INPUT_IDS),
          named(m.create(batch.attentionMask(), shape), DecoderGraph.ATTENTION_MASK));
      if (signature.inputs().containsKey("position_ids")) {
        list.add(named(m.create(batch.positionIds(), shape), "position_ids"));
      }
      if (signature.inputs().containsKey("token_type_ids")) {
        list.add(named(m.create(new long[batch.inputIds().length], shape), "token_type_ids"));
      }
      return list;
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
      NDArray logits = list.get(DecoderGraph.LOGITS);
      if (logits == null) {
        throw new ArtifactException(signature.file() + ": ONNX Runtime returned no logits");
      }
      FloatBuffer values = logits.toByteBuffer().asFloatBuffer();
      return read((TokenBatch) ctx.getAttachment(BATCH), logits.getShape(), values);
    }

    abstract float[][] read(TokenBatch batch, Shape shape, FloatBuffer logits);

    private NDArray named(NDArray a, String name) {
      a.setName(name);
      return a;
    }
  }

  /** Each row's logits, flattened: [B][T·V] or [B][L]. */
  private final class Logits2d extends Forward {
    @Override
    float[][] read(TokenBatch batch, Shape shape, FloatBuffer logits) {
      int perRow = Math.toIntExact(shape.size() / shape.get(0));
      float[][] out = new float[batch.batch()][perRow];
      for (float[] row : out) {
        logits.get(row);
      }
      return out;
    }
  }

  /** log_softmax(logits[b, t−1] / temperature)[id(b, t)] for t ≥ responseStart. */
  private final class ResponseLogProbs extends Forward {
    private final int responseStart;
    private final float temperature;

    ResponseLogProbs(int responseStart, float temperature) {
      this.responseStart = responseStart;
      this.temperature = temperature;
    }

    @Override
    float[][] read(TokenBatch batch, Shape shape, FloatBuffer logits) {
      int t = batch.sequence();
      int vocab = Math.toIntExact(shape.get(2));
      float[] row = new float[vocab];
      float[][] out = new float[batch.batch()][t - responseStart];
      for (int b = 0; b < batch.batch(); b++) {
        for (int col = responseStart; col < t; col++) {
          long id = batch.id(b, col); // < vocab: checkVocabulary ran first
          long offset = ((long) b * t + col - 1) * vocab; // logits[b, col − 1, :]
          if (offset + vocab > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a chunk's logits exceed 2^31 values; lower " + ROWS_PER_RUN);
          }
          logits.get((int) offset, row);
          out[b][col - responseStart] = logSoftmaxAt(row, (int) id, temperature);
        }
      }
      return out;
    }
  }

  /** log_softmax(x / temperature)[index], with max subtraction and a double-precision sum. */
  static float logSoftmaxAt(float[] x, int index, float temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : x) {
      max = Math.max(max, v / temperature);
    }
    double sum = 0;
    for (float v : x) {
      sum += Math.exp(v / temperature - max);
    }
    return (float) (x[index] / temperature - max - Math.log(sum));
  }
}
