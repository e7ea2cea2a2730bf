package dev.tether.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParamTypeTest {
    @Test
    void aListIsAJsonArrayOfItsValues() {
        assertThat(ParamType.LIST.kfpType()).isEqualTo("LIST");
        assertThat(ParamType.LIST.parse("shard_indices", "[0, 1, 2]")).isEqualTo(List.of(0L, 1L, 2L));
        assertThat(ParamType.LIST.parse("shard_indices", " [] ")).isEqualTo(List.of());
        assertThat(ParamType.LIST.parse("labels", "[\"a\", 1.5, true]")).isEqualTo(List.of("a", 1.5, true));
    }

    @Test
    void aBadListNamesTheParameter() {
        for (String bad : new String[] {"0, 1", "{\"a\": 1}", "3", "[0, 1", "", "[null]"}) {
            assertThatThrownBy(() -> ParamType.LIST.parse("shard_indices", bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shard_indices: expected a list").hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> ParamType.LIST.parse("shard_indices", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shard_indices");
    }
}
