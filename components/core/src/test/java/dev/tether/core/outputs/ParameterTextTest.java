package dev.tether.core.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.core.artifact.ArtifactException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParameterTextTest {

  @Test
  void scalarsAsEnginesParseThem() {
    assertThat(ParameterText.format("p", "tiny-gpt")).isEqualTo("tiny-gpt");
    assertThat(ParameterText.format("p", true)).isEqualTo("true");
    assertThat(ParameterText.format("p", 42)).isEqualTo("42");
    assertThat(ParameterText.format("p", -7L)).isEqualTo("-7");
    assertThat(ParameterText.format("p", new BigDecimal("1E+3"))).isEqualTo("1000");
  }

  @Test
  void floatsInShortPlainNotation() {
    assertThat(ParameterText.format("kl", 0.0001)).isEqualTo("0.0001");
    assertThat(ParameterText.format("kl", 3.0)).isEqualTo("3.0");
    assertThat(ParameterText.format("kl", 1234567.5)).isEqualTo("1234567.5");
    assertThat(ParameterText.format("kl", 0.1f)).isEqualTo("0.1");
    assertThat(ParameterText.format("kl", 1e20)).isEqualTo("100000000000000000000.0");
    assertThat(ParameterText.format("kl", -2.5e-7)).isEqualTo("-0.00000025");
    assertThat(ParameterText.format("kl", 0.0)).isEqualTo("0.0");
    // Outside the plain range, Java's exponent form, which Go, Python and Argo also parse.
    assertThat(ParameterText.format("kl", 1e-10)).isEqualTo("1.0E-10");
    assertThat(ParameterText.format("kl", 1e21)).isEqualTo("1.0E21");
  }

  @Test
  void floatsReadBackExactly() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(d)) {
        assertThat(Double.parseDouble(ParameterText.format("x", d))).isEqualTo(d);
      }
      float f = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(f)) {
        assertThat(Float.parseFloat(ParameterText.format("x", f))).isEqualTo(f);
      }
    }
  }

  @Test
  void theJvmLocaleDoesNotLeakIn() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(ParameterText.format("kl", 0.25)).isEqualTo("0.25");
      assertThat(ParameterText.format("n", 1234567)).isEqualTo("1234567");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void listsAndMapsAsCompactJson() {
    assertThat(ParameterText.format("p", Map.of("b", 1, "a", List.of(0.5, "x"))))
        .isEqualTo("{\"a\":[0.5,\"x\"],\"b\":1}");
  }

  @Test
  void nonFiniteAndNullAreRefusedWithTheParameterName() {
    assertThatThrownBy(() -> ParameterText.format("kl", Double.NaN))
        .isInstanceOf(ArtifactException.class)
        .hasMessage("output parameter 'kl': expected a finite number, found NaN");
    assertThatThrownBy(() -> ParameterText.format("reward", Float.NEGATIVE_INFINITY))
        .hasMessage("output parameter 'reward': expected a finite number, found -Infinity");
    assertThatThrownBy(() -> ParameterText.format("stats", Map.of("kl", Double.NaN)))
        .hasMessage("output parameter 'stats': JSON field kl: expected a finite number, found NaN");
    assertThatThrownBy(() -> ParameterText.format("beta", null))
        .hasMessage("output parameter 'beta': expected a value, found null");
    assertThatThrownBy(() -> ParameterText.format("x", new Object()))
        .hasMessageStartingWith("output parameter 'x': expected a string, number, boolean");
  }
}
