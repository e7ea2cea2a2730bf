package dev.tether.core;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The build runs DJL offline, natives from the Maven jars, unpacked under a directory it names. */
class EngineSmokeTest {
    @Test
    void pytorchLoadsOfflineFromTheConfiguredCache() {
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3});
            assertThat(a.sum().getFloat()).isEqualTo(6f);
        }
        Path cache = Path.of(System.getProperty("DJL_CACHE_DIR"));
        assertThat(cache.resolve("pytorch")).as("native libraries unpacked under DJL_CACHE_DIR").isDirectory();
        assertThat(Utils.getEngineCacheDir("pytorch").toAbsolutePath().normalize())
                .as("DJL's own idea of where the PyTorch natives live")
                .startsWith(cache.toAbsolutePath().normalize());
    }
}
