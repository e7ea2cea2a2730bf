package dev.tether.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  @Test
  void keysSortedTwoSpaceIndentAndATrailingNewline() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("b", List.of(1, 2));
    value.put("a", Map.of("y", true, "x", "s"));
    value.put("c", Map.of());
    value.put("d", List.of());
    assertThat(CanonicalJson.prettyString(value)).isEqualTo("""
        {
          "a": {
            "x": "s",
            "y": true
          },
          "b": [
            1,
            2
          ],
          "c": {},
          "d": []
        }
        """);
  }

  @Test
  void recordPropertiesAreSortedToo() {
    record R(int zeta, String alpha) {}
    assertThat(CanonicalJson.compact(new R(1, "a"))).isEqualTo("{\"alpha\":\"a\",\"zeta\":1}");
  }

  @Test
  void nonFiniteNumbersAreRefusedWithTheirPath() {
    Map<String, Object> value = Map.of("metrics", Map.of("kl", Double.NaN));
    assertThatThrownBy(() -> CanonicalJson.pretty(value))
        .isInstanceOf(ArtifactException.class)
        .hasMessage("JSON field metrics.kl: expected a finite number, found NaN");
    assertThatThrownBy(() -> CanonicalJson.compact(List.of(1.0f, Float.POSITIVE_INFINITY)))
        .hasMessage("JSON field [1]: expected a finite number, found Infinity");
  }

  @Test
  void finiteNumbersKeepTheirValue() {
    assertThat(CanonicalJson.compact(List.of(0.1, 0.1f, 1e-10, 3))).isEqualTo("[0.1,0.1,1.0E-10,3]");
  }
}
