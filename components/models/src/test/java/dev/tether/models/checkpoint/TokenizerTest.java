package dev.tether.models.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tether.models.Reference;
import dev.tether.models.config.ModelConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** tokenizer.json through DJL's Hugging Face tokenizers, offline, against the ids Python assigned. */
class TokenizerTest {

  @ParameterizedTest
  @ValueSource(strings = {"gpt2-tiny", "llama-tiny"})
  void encodesLikeTheReference(String name) throws Exception {
    var ex = Reference.expected(name);
    ModelConfig config = CheckpointReader.readConfig(Reference.folder(name));
    try (HuggingFaceTokenizer tok = CheckpointReader.openTokenizer(Reference.folder(name), config)) {
      Encoding e = tok.encode(ex.metadata().get("text"));
      long[] want = java.util.Arrays.stream(ex.get("text_ids").toInts()).asLongStream().toArray();
      assertThat(e.getIds()).containsExactly(want);
      // Llama's template adds <s> (id 1); GPT-2's adds nothing.
      assertThat(e.getIds()[0] == 1).isEqualTo(name.startsWith("llama"));
      assertThat(tok.decode(e.getIds(), true)).isEqualTo(ex.metadata().get("text"));
    }
  }
}
