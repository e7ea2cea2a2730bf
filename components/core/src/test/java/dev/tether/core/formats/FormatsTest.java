package dev.tether.core.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.core.artifact.ArtifactException;
import dev.tether.core.artifact.Safetensors;
import dev.tether.core.artifact.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatsTest {
    @TempDir
    Path tmp;

    private static RolloutBatch twoRows() {
        // Row 0: query [5 6] (no pad), response [7 2 | pad]; row 1: query [pad 9], response [8 | pad pad].
        return new RolloutBatch(2, 2, 3,
                new int[] {5, 6, 0, 9}, new int[] {1, 1, 0, 1},
                new int[] {7, 2, 0, 8, 0, 0}, new int[] {1, 1, 0, 1, 0, 0},
                new float[] {-1, -2, 0, -3, 0, 0}, new float[] {0.5f, 0.25f, 0, 1, 0, 0}, new int[] {0, 1});
    }

    @Test
    void promptsKeepExtraFieldsAndNameTheBadLine() throws Exception {
        Path f = tmp.resolve("prompts.jsonl");
        Files.writeString(f, "{\"prompt\": \"the coffee\", \"noun\": \"coffee\"}\n\n{\"prompt\": \"the show\"}\n");
        List<PromptsFile.Line> lines = PromptsFile.read(f, "prompt");
        assertThat(lines).extracting(PromptsFile.Line::text).containsExactly("the coffee", "the show");
        assertThat(lines.get(0).record().get("noun").asText()).isEqualTo("coffee");
        assertThat(lines.get(1).lineNumber()).isEqualTo(3);

        Files.writeString(f, "{\"prompt\": \"ok\"}\n{\"prompt\": 3}\n");
        assertThatThrownBy(() -> PromptsFile.read(f, "prompt")).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("line 2").hasMessageContaining("expected a \"prompt\" string, found NUMBER");
        Files.writeString(f, "{\"prompt\": \"ok\"}\n{prompt\n");
        assertThatThrownBy(() -> PromptsFile.read(f, "prompt")).hasMessageContaining("line 2: not valid JSON");
        Files.writeString(f, "\n  \n");
        assertThatThrownBy(() -> PromptsFile.read(f, "prompt")).hasMessageContaining("no records");
        assertThatThrownBy(() -> PromptsFile.read(tmp.resolve("missing.jsonl"), "prompt")).hasMessageContaining("file not found");
    }

    @Test
    void rolloutRoundTripsAndMergesShards() {
        RolloutBatch r = twoRows();
        Path f = tmp.resolve("rollout.safetensors");
        Safetensors.write(f, r.toTensors(), Map.of());
        RolloutBatch back;
        try (SafetensorsFile sf = Safetensors.read(f)) {
            back = RolloutBatch.read(sf);
        }
        assertThat(back.responseIds()).containsExactly(r.responseIds());
        assertThat(back.values()).containsExactly(r.values());
        assertThat(back.response(0)).containsExactly(7, 2);
        assertThat(back.query(1)).containsExactly(9);

        // A shard with a longer query and a longer response: the merge re-pads both sides.
        RolloutBatch other = new RolloutBatch(1, 3, 4, new int[] {1, 2, 3}, new int[] {1, 1, 1},
                new int[] {4, 4, 4, 2}, new int[] {1, 1, 1, 1}, new float[] {-1, -1, -1, -1}, new float[4], new int[] {2});
        RolloutBatch merged = RolloutBatch.concat(List.of(r, other), 0);
        assertThat(merged.batch()).isEqualTo(3);
        assertThat(merged.queryLength()).isEqualTo(3);
        assertThat(merged.queryIds()).containsExactly(0, 5, 6, 0, 0, 9, 1, 2, 3);
        assertThat(merged.queryMask()).containsExactly(0, 1, 1, 0, 0, 1, 1, 1, 1);
        assertThat(merged.responseMask()).containsExactly(1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1);
        assertThat(merged.promptIndex()).containsExactly(0, 1, 2);
        assertThat(merged.rows(new int[] {2, 0}).response(1)).containsExactly(7, 2);
    }

    @Test
    void rolloutPaddingAndShapesAreChecked() {
        assertThatThrownBy(() -> new RolloutBatch(1, 2, 2, new int[] {5, 0}, new int[] {1, 0}, new int[] {1, 1},
                new int[] {1, 1}, new float[2], new float[2], new int[] {0}))
                .hasMessageContaining("query_mask is not left-padded");
        assertThatThrownBy(() -> new RolloutBatch(1, 1, 3, new int[] {5}, new int[] {1}, new int[] {1, 0, 1},
                new int[] {1, 0, 1}, new float[3], new float[3], new int[] {0}))
                .hasMessageContaining("response_mask is not right-padded");
        assertThatThrownBy(() -> new RolloutBatch(1, 1, 2, new int[] {5}, new int[] {1}, new int[] {1, 1},
                new int[] {1, 1}, new float[3], new float[2], new int[] {0}))
                .hasMessageContaining("logprobs: expected 2 values, found 3");

        Path f = tmp.resolve("bad.safetensors");
        List<dev.tether.core.artifact.Tensor> tensors = new java.util.ArrayList<>(twoRows().toTensors());
        tensors.removeIf(t -> t.name().equals("values"));
        tensors.add(dev.tether.core.artifact.Tensor.ofFloats("values", new long[] {2, 2}, new float[4]));
        Safetensors.write(f, tensors, Map.of());
        try (SafetensorsFile sf = Safetensors.read(f)) {
            assertThatThrownBy(() -> RolloutBatch.read(sf)).hasMessageContaining("values: expected F32 [2, 3], found F32 [2, 2]");
        }
    }

    @Test
    void nonFiniteScoresAreRefusedWithTheirIndex() {
        Path f = tmp.resolve("scores.safetensors");
        Safetensors.write(f, List.of(dev.tether.core.artifact.Tensor.ofFloats("scores", new long[] {3}, new float[] {1, Float.NaN, 2})), Map.of());
        try (SafetensorsFile sf = Safetensors.read(f)) {
            assertThatThrownBy(() -> SequenceScores.readScores(sf, 3)).hasMessageContaining("value 1 is NaN");
            assertThatThrownBy(() -> SequenceScores.readScores(sf, 4)).hasMessageContaining("expected F32 [4] (matching the rollout)");
        }
        assertThatThrownBy(() -> SequenceScores.scores(new float[] {Float.POSITIVE_INFINITY})).hasMessageContaining("Infinity");
    }
}
