package dev.tether.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads a file written by an independent Python writer (src/test/python/make_safetensors_fixture.py,
 * numpy and torch for the values), so the reader is checked against the format, not against
 * tether's own writer.
 */
class SafetensorsPythonFixtureTest {

  private Path fixture;

  @BeforeEach
  void locate() throws URISyntaxException {
    fixture = Path.of(getClass().getResource("/artifact/python_fixture.safetensors").toURI());
  }

  @Test
  void metadataAndNamesInFileOrder() {
    try (SafetensorsFile st = Safetensors.read(fixture)) {
      assertThat(st.metadata()).isEqualTo(
          Map.of("format", "pt", "made_by", "make_safetensors_fixture.py"));
      assertThat(st.names()).containsExactly("logprobs", "half", "brain", "query_ids", "positions",
          "pixels", "query_mask", "empty");
    }
  }

  @Test
  void valuesMatchWhatNumpyAndTorchWrote() {
    try (SafetensorsFile st = Safetensors.read(fixture)) {
      Tensor logprobs = st.get("logprobs");
      assertThat(logprobs.dtype()).isEqualTo(DType.F32);
      assertThat(logprobs.shape()).containsExactly(2, 3);
      assertThat(logprobs.toFloats())
          .containsExactly(-0.5f, -1.25f, -2.0f, 0.0f, 1e-7f, -3.4028235e38f);
      // numpy's float16 of 0.1 is 0x2E66 = 0.0999755859375.
      assertThat(st.get("half").toFloats()).containsExactly(1f, -2f, 65504f, 0.0999755859375f);
      // torch's bfloat16 of 3.14159 is 0x4049 = 3.140625.
      assertThat(st.get("brain").toFloats()).containsExactly(1f, -2.5f, 3.140625f);
      assertThat(st.get("query_ids").toInts())
          .containsExactly(0, 101, Integer.MAX_VALUE, Integer.MIN_VALUE);
      assertThat(st.get("positions").toLongs()).containsExactly(0L, 1L, 1L << 40);
      assertThat(st.get("pixels").toInts()).containsExactly(0, 128, 255);
      assertThat(st.get("query_mask").toBools()).containsExactly(false, true, true, true);
      assertThat(st.shape("empty")).containsExactly(0, 4);
      assertThat(st.get("empty").numel()).isZero();
    }
  }

  @Test
  void javaNarrowingMatchesNumpyAndTorchBitForBit() {
    try (SafetensorsFile st = Safetensors.read(fixture)) {
      assertThat(Tensor.ofFloats("half", new long[] {4}, new float[] {1f, -2f, 65504f, 0.1f},
          DType.F16)).isEqualTo(st.get("half"));
      assertThat(Tensor.ofFloats("brain", new long[] {3}, new float[] {1f, -2.5f, 3.14159f},
          DType.BF16)).isEqualTo(st.get("brain"));
    }
  }
}
