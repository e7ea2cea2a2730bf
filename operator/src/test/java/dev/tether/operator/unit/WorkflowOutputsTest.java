package dev.tether.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.operator.run.WorkflowOutputs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowOutputsTest {

    private static Map<String, Object> p(String name, String value) {
        return Map.of("name", name, "value", value);
    }

    @Test
    void readsTheGlobalOutputParameters() {
        WorkflowOutputs out = WorkflowOutputs.parse(List.of(p("kl", "6.25"), p("reward", "-0.5"), p("beta", "0.11"),
                p("gold_reward", "0.3"), p("eval_passed", "false"), p("something_else", "x")));
        assertThat(out).isEqualTo(new WorkflowOutputs(6.25, -0.5, 0.11, 0.3, false));
    }

    @Test
    void optionalOutputsMayBeAbsent() {
        assertThat(WorkflowOutputs.parse(List.of(p("kl", "1"), p("reward", "2"))))
                .isEqualTo(new WorkflowOutputs(1, 2, null, null, null));
    }

    @Test
    void aMissingOrMalformedOutputIsNamed() {
        assertThatThrownBy(() -> WorkflowOutputs.parse(List.of(p("reward", "2"))))
                .hasMessage("Workflow output parameter 'kl': expected a number exported with globalName, got nothing");
        assertThatThrownBy(() -> WorkflowOutputs.parse(null)).hasMessageContaining("'kl'");
        assertThatThrownBy(() -> WorkflowOutputs.parse(List.of(p("kl", "NaN"), p("reward", "2"))))
                .hasMessage("Workflow output parameter 'kl': expected a finite number, got 'NaN'");
        assertThatThrownBy(() -> WorkflowOutputs.parse(List.of(p("kl", "-1"), p("reward", "2"))))
                .hasMessage("Workflow output parameter 'kl': expected a KL ≥ 0, got -1.0");
        assertThatThrownBy(() -> WorkflowOutputs.parse(List.of(p("kl", "1"), p("reward", "2"), p("eval_passed", "yes"))))
                .hasMessage("Workflow output parameter 'eval_passed': expected true or false, got 'yes'");
    }
}
