package dev.tether.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineThreadsTest {
    private static final List<String> KEYS = List.of(EngineThreads.PYTORCH, EngineThreads.PYTORCH_INTEROP, EngineThreads.ONNXRUNTIME,
            EngineThreads.ONNXRUNTIME_INTEROP);
    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void save() {
        KEYS.forEach(k -> saved.put(k, System.getProperty(k)));
        KEYS.forEach(System::clearProperty);
    }

    @AfterEach
    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    @Test
    void unsetCountsFollowTheCpusThisProcessMayUse() {
        EngineThreads.applyDefaults(3);
        assertThat(System.getProperty(EngineThreads.PYTORCH)).isEqualTo("3");
        assertThat(System.getProperty(EngineThreads.ONNXRUNTIME)).isEqualTo("3");
        assertThat(System.getProperty(EngineThreads.PYTORCH_INTEROP)).isEqualTo("1");
        assertThat(System.getProperty(EngineThreads.ONNXRUNTIME_INTEROP)).isEqualTo("1");
    }

    @Test
    void whatIsAlreadySetWins() {
        System.setProperty(EngineThreads.PYTORCH, "1");
        System.setProperty(EngineThreads.ONNXRUNTIME_INTEROP, "2");
        EngineThreads.applyDefaults(8);
        assertThat(System.getProperty(EngineThreads.PYTORCH)).isEqualTo("1");
        assertThat(System.getProperty(EngineThreads.ONNXRUNTIME)).isEqualTo("8");
        assertThat(System.getProperty(EngineThreads.ONNXRUNTIME_INTEROP)).isEqualTo("2");
    }

    @Test
    void theDefaultIsTheJvmsContainerAwareCount() {
        EngineThreads.applyDefaults();
        assertThat(System.getProperty(EngineThreads.PYTORCH)).isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
    }
}
