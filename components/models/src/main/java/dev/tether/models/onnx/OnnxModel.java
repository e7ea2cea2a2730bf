package dev.tether.models.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An exported model ready to be written: the graph without weight bytes, and the weights, whose
 * bytes are read one tensor at a time while the file is written, so exporting a model never holds a
 * second copy of its weights in memory.
 *
 * <p>Weights go inside the {@code .onnx} file (small models; protobuf caps a message at 2 GiB) or
 * into ONNX external data: one {@code <file>.data} beside it, tensors 4 KiB-aligned, which ONNX
 * Runtime reads when it loads the model from its path.
 */
public final class OnnxModel {

  /** The ONNX opset the graphs use: LayerNormalization exists, ReduceMean still takes axes as an attribute. */
  public static final int OPSET = 17;
  /** IR version 8 is what opset 17 shipped with (onnx 1.12). */
  public static final int IR_VERSION = 8;
  /**
   * Above this many weight bytes {@link #write(Path)} uses external data. Not only for protobuf's
   * 2 GiB cap: ONNX Runtime copies inline weights out of the parsed file, so a GPT-2-small scorer
   * peaked at 1.44 GB with inline weights and 1.08 GB with external data.
   */
  public static final long INLINE_LIMIT_BYTES = 64L << 20;

  private static final int GRAPH_FIELD = ModelProto.GRAPH_FIELD_NUMBER;
  private static final int INITIALIZER_FIELD = GraphProto.INITIALIZER_FIELD_NUMBER;
  private static final int RAW_DATA_FIELD = TensorProto.RAW_DATA_FIELD_NUMBER;
  private static final long EXTERNAL_ALIGNMENT = 4096;

  private final GraphProto graph;
  private final List<GraphBuilder.Weight> weights;
  private final Map<String, String> metadata;

  OnnxModel(GraphProto graph, List<GraphBuilder.Weight> weights, Map<String, String> metadata) {
    this.graph = graph;
    this.weights = List.copyOf(weights);
    this.metadata = new TreeMap<>(metadata);
  }

  /** The graph's nodes, inputs, outputs and small constants; weight initializers are not in it. */
  public GraphProto graphWithoutWeights() {
    return graph;
  }

  /** Weight names (Hugging Face names) in the order they are written. */
  public List<String> weightNames() {
    return weights.stream().map(GraphBuilder.Weight::name).toList();
  }

  public long weightBytes() {
    return weights.stream().mapToLong(GraphBuilder.Weight::byteSize).sum();
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** Writes {@code file}, with external data when the weights pass {@link #INLINE_LIMIT_BYTES}. */
  public void write(Path file) {
    write(file, weightBytes() > INLINE_LIMIT_BYTES);
  }

  /**
   * Writes {@code file} atomically; with {@code externalData} the weights go to {@code file}'s
   * name + ".data" in the same folder (written first, so the model never names a missing file).
   */
  public void write(Path file, boolean externalData) {
    if (externalData) {
      String dataName = file.getFileName() + ".data";
      GraphProto.Builder g = graph.toBuilder();
      AtomicFiles.write(file.resolveSibling(dataName), channel -> {
        long offset = 0;
        for (GraphBuilder.Weight w : weights) {
          offset = pad(channel, offset);
          ByteBuffer bytes = checkedBytes(file, w);
          long length = bytes.remaining();
          while (bytes.hasRemaining()) {
            channel.write(bytes);
          }
          g.addInitializer(w.header().toBuilder()
              .setDataLocation(TensorProto.DataLocation.EXTERNAL)
              .addExternalData(entry("location", dataName))
              .addExternalData(entry("offset", Long.toString(offset)))
              .addExternalData(entry("length", Long.toString(length))));
          offset += length;
        }
      });
      AtomicFiles.write(file, model(g.build()).toByteArray());
      return;
    }
    long graphSize = inlineGraphSize();
    if (graphSize > Integer.MAX_VALUE) {
      throw new ArtifactException(file + ": " + weightBytes() + " bytes of weights exceed protobuf's"
          + " 2 GiB message limit; write with external data");
    }
    AtomicFiles.writeStream(file, raw -> writeInline(new BufferedOutputStream(raw, 1 << 20), file));
  }

  /** The whole model with weights inline, in memory (small models and tests). */
  public ModelProto toModelProto() {
    GraphProto.Builder g = graph.toBuilder();
    for (GraphBuilder.Weight w : weights) {
      g.addInitializer(w.header().toBuilder()
          .setRawData(ByteString.copyFrom(checkedBytes(null, w))));
    }
    return model(g.build());
  }

  // ---------------------------------------------------------------- inline streaming

  /**
   * Protobuf merges repeated fields across concatenated pieces of a message, so the graph is written
   * as its weightless encoding followed by one initializer field per weight, each streamed from its
   * source; only the lengths have to be known up front.
   */
  private void writeInline(OutputStream out, Path file) throws IOException {
    CodedOutputStream coded = CodedOutputStream.newInstance(out, 1 << 16);
    model(null).writeTo(coded);
    coded.writeTag(GRAPH_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    coded.writeUInt32NoTag(Math.toIntExact(inlineGraphSize()));
    graph.writeTo(coded);
    coded.flush();
    WritableByteChannel channel = Channels.newChannel(out);
    for (GraphBuilder.Weight w : weights) {
      TensorProto header = w.header();
      coded.writeTag(INITIALIZER_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      coded.writeUInt32NoTag(Math.toIntExact(tensorSize(header, w.byteSize())));
      header.writeTo(coded);
      coded.writeTag(RAW_DATA_FIELD, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      coded.writeUInt32NoTag(Math.toIntExact(w.byteSize()));
      coded.flush();
      ByteBuffer bytes = checkedBytes(file, w);
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
    out.flush();
  }

  private long inlineGraphSize() {
    long size = graph.getSerializedSize();
    for (GraphBuilder.Weight w : weights) {
      long tensor = tensorSize(w.header(), w.byteSize());
      size += CodedOutputStream.computeTagSize(INITIALIZER_FIELD)
          + CodedOutputStream.computeUInt64SizeNoTag(tensor) + tensor;
    }
    return size;
  }

  private static long tensorSize(TensorProto header, long dataBytes) {
    return header.getSerializedSize() + CodedOutputStream.computeTagSize(RAW_DATA_FIELD)
        + CodedOutputStream.computeUInt64SizeNoTag(dataBytes) + dataBytes;
  }

  // ---------------------------------------------------------------- pieces

  /** The model around {@code g}; with null, everything but the graph. */
  private ModelProto model(GraphProto g) {
    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("tether")
        .setProducerVersion("0.1.0")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
    if (g != null) {
      m.setGraph(g);
    }
    metadata.forEach((k, v) -> m.addMetadataProps(entry(k, v)));
    return m.build();
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  private static ByteBuffer checkedBytes(Path file, GraphBuilder.Weight w) {
    ByteBuffer bytes = w.bytes().get();
    if (bytes.remaining() != w.byteSize()) {
      throw new ArtifactException((file == null ? "" : file + ": ") + "weight " + w.name() + ": expected "
          + w.byteSize() + " bytes, found " + bytes.remaining());
    }
    return bytes;
  }

  private static long pad(FileChannel channel, long offset) throws IOException {
    long padded = (offset + EXTERNAL_ALIGNMENT - 1) / EXTERNAL_ALIGNMENT * EXTERNAL_ALIGNMENT;
    ByteBuffer zeros = ByteBuffer.allocate((int) (padded - offset));
    while (zeros.hasRemaining()) {
      channel.write(zeros);
    }
    return padded;
  }
}
