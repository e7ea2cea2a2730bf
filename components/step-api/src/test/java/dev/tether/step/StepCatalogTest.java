package dev.tether.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StepCatalogTest {

    private static Step named(String name) {
        StepDefinition def = StepDefinition.builder(name).build();
        return new Step() {
            @Override
            public StepDefinition definition() {
                return def;
            }

            @Override
            public void run(StepContext ctx) {}
        };
    }

    @Test
    void findsRegisteredStepsByName() {
        StepCatalog catalog = StepCatalog.load();
        assertThat(catalog.names()).contains("count-lines");
        assertThat(catalog.get("count-lines")).isInstanceOf(CountLinesStep.class);
        assertThat(catalog.definitions()).contains(CountLinesStep.DEF);
    }

    @Test
    void anUnknownNameListsTheKnownSteps() {
        StepCatalog catalog = StepCatalog.of(named("rollout"), named("reward"), named("ppo-update"));
        assertThat(catalog.names()).containsExactly("ppo-update", "reward", "rollout");
        assertThatThrownBy(() -> catalog.get("rolout")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown step 'rolout'; known steps: ppo-update, reward, rollout");
        assertThat(catalog.find("rolout")).isEmpty();
        assertThatThrownBy(() -> StepCatalog.of().get("rollout"))
                .hasMessage("unknown step 'rollout'; no steps are registered (a step module lists its steps in META-INF/services/dev.tether.step.Step)");
    }

    @Test
    void twoStepsWithOneNameAreRefused() {
        assertThatThrownBy(() -> StepCatalog.of(named("reward"), new CountLinesStep(), named("reward")))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("two steps are named 'reward': ");
    }
}
