package dev.tether.steps.rewardtrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.AtomicFiles;
import dev.tether.core.artifact.Safetensors;
import dev.tether.core.artifact.SafetensorsFile;
import dev.tether.core.artifact.Tensor;
import dev.tether.models.checkpoint.TensorArrays;
import dev.tether.models.config.ModelConfig;
import dev.tether.models.nn.CausalLM;
import dev.tether.models.nn.Parameters;
import dev.tether.models.onnx.BagOfWordsGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trained weights beside the ONNX export, so a reward model can be inspected, scored on the
 * PyTorch engine, or trained further. A transformer is written as Hugging Face writes a sequence
 * classifier ({@code config.json} with {@code architectures: [...ForSequenceClassification]} and
 * {@code num_labels: 1}; {@code model.safetensors} with the trunk's weights and
 * {@code score.weight}); a bag of words as {@code bow.weight} [V] with a config.json naming it.
 */
final class RewardModelFiles {
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.safetensors";
    private static final Map<String, String> PT = Map.of("format", "pt");

    private RewardModelFiles() {}

    static void writeBagOfWords(Path dir, NDArray weight) {
        ObjectNode config = ModelConfig.JSON.createObjectNode();
        config.put("model_type", BagOfWordsReward.MODEL_TYPE);
        config.put("vocab_size", weight.getShape().get(0));
        config.put("num_labels", 1);
        writeJson(dir.resolve(CONFIG), config);
        Safetensors.write(dir.resolve(WEIGHTS), List.of(TensorArrays.toTensor(BagOfWordsGraph.WEIGHT, weight)), PT);
    }

    static void writeTransformer(Path dir, ObjectNode trunkConfig, CausalLM trunk, NDArray score) {
        ObjectNode config = trunkConfig.deepCopy();
        String type = trunk.config().modelType();
        config.putArray("architectures").add(type.equals("gpt2") ? "GPT2ForSequenceClassification" : "LlamaForSequenceClassification");
        config.put("num_labels", 1);
        writeJson(dir.resolve(CONFIG), config);
        List<Tensor> tensors = new ArrayList<>();
        trunk.parameters().asMap().forEach((name, a) -> tensors.add(TensorArrays.toTensor(name, a)));
        tensors.add(TensorArrays.toTensor(TransformerReward.SCORE, score));
        Safetensors.write(dir.resolve(WEIGHTS), tensors, PT);
    }

    /** Reads back what {@link #writeBagOfWords} or {@link #writeTransformer} wrote. */
    static RewardModel read(Path dir, NDManager parent) {
        Path configFile = dir.resolve(CONFIG);
        JsonNode config;
        try {
            config = ModelConfig.JSON.readTree(Files.readAllBytes(configFile));
        } catch (IOException e) {
            throw new ArtifactException(configFile + ": missing or not JSON: " + e.getMessage());
        }
        try (SafetensorsFile weights = Safetensors.read(dir.resolve(WEIGHTS))) {
            if (BagOfWordsReward.MODEL_TYPE.equals(config.path("model_type").asText())) {
                return BagOfWordsReward.of(parent, weights.get(BagOfWordsGraph.WEIGHT).toFloats());
            }
            ModelConfig trunkConfig = ModelConfig.parse(config, configFile.toString());
            Map<String, Shape> shapes = CausalLM.parameterShapes(trunkConfig);
            NDManager m = parent.newSubManager();
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (String name : shapes.keySet()) {
                arrays.put(name, TensorArrays.toFloatArray(weights.get(name), m));
            }
            CausalLM trunk = CausalLM.create(trunkConfig, Parameters.of(m, shapes, arrays));
            NDManager h = parent.newSubManager();
            Map<String, Shape> headShape = Map.of(TransformerReward.SCORE, new Shape(1, trunkConfig.hiddenSize()));
            Parameters head = Parameters.of(h, headShape, Map.of(TransformerReward.SCORE, TensorArrays.toFloatArray(weights.get(TransformerReward.SCORE), h)));
            return new TransformerReward(trunk, (ObjectNode) config, head);
        }
    }

    private static void writeJson(Path file, ObjectNode json) {
        try {
            AtomicFiles.write(file, ModelConfig.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        } catch (IOException e) {
            throw new ArtifactException(file + ": cannot write: " + e.getMessage());
        }
    }
}
