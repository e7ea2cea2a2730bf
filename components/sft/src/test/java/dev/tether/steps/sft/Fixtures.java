package dev.tether.steps.sft;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.formats.Schemas;
import dev.tether.step.Step;
import dev.tether.step.StepCli;
import dev.tether.steps.sft.data.TokenizerInput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A tiny language for the tests: a WordLevel tokenizer.json (Whitespace pre-tokenizer, BOS added by
 * the post-processor, no unknown token, so a word outside the vocabulary is an error) and a corpus
 * with one memorisable sentence, "one two three four", among random short ones.
 */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> WORDS = List.of("<pad>", "<bos>", "<eos>", "the", "cat", "dog", "sat", "ran", "on", "mat", "fast",
            "one", "two", "three", "four", ".");
    static final int PAD = 0;
    static final int BOS = 1;
    static final int EOS = 2;

    private Fixtures() {}

    static int id(String word) {
        int i = WORDS.indexOf(word);
        if (i < 0) {
            throw new IllegalArgumentException(word);
        }
        return i;
    }

    static ObjectNode tokenizerJson(List<String> words) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < 3; i++) {
            added.addObject().put("id", i).put("content", words.get(i)).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        post.putArray("single").addObject().putObject("SpecialToken").put("id", "<bos>").put("type_id", 0);
        ((ArrayNode) post.get("single")).addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<bos>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode special = post.putObject("special_tokens").putObject("<bos>");
        special.put("id", "<bos>");
        special.putArray("ids").add(BOS);
        special.putArray("tokens").add("<bos>");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < words.size(); i++) {
            vocab.put(words.get(i), i);
        }
        model.put("unk_token", "<unk>");
        return root;
    }

    /** A tether.tokenizer artifact over {@code words}, with special_tokens_map.json. */
    static Path tokenizer(Path dir, List<String> words) {
        try (ArtifactWriter w = ArtifactWriter.create(dir, TokenizerInput.SCHEMA, 1, "test")) {
            w.writeJson(TokenizerInput.TOKENIZER_JSON, tokenizerJson(words));
            ObjectNode map = JSON.createObjectNode().put("bos_token", "<bos>").put("eos_token", "<eos>").put("pad_token", "<pad>");
            w.writeJson("special_tokens_map.json", map);
            return w.commit();
        }
    }

    static Path tokenizer(Path dir) {
        return tokenizer(dir, WORDS);
    }

    /** A tether.text artifact whose text.jsonl holds {@code lines} verbatim. */
    static Path text(Path dir, List<String> lines) {
        try (ArtifactWriter w = ArtifactWriter.create(dir, Schemas.TEXT, 1, "test")) {
            w.writeText(TextCorpus.FILE_NAME, lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
            return w.commit();
        }
    }

    /**
     * {@code n} lines: every third is "one two three four", the rest random "the NOUN VERB [on the
     * mat | fast] ." sentences.
     */
    static List<String> corpus(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String text;
            if (i % 3 == 0) {
                text = "one two three four";
            } else {
                String noun = rng.nextBoolean() ? "cat" : "dog";
                String verb = rng.nextBoolean() ? "sat" : "ran";
                int tail = rng.nextInt(3);
                text = "the " + noun + " " + verb + (tail == 0 ? " on the mat" : tail == 1 ? " fast" : "") + " .";
            }
            lines.add(JSON.createObjectNode().put("text", text).toString());
        }
        return lines;
    }

    record Run(int exit, String err) {}

    static Run cli(Step step, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StepCli.execute(step, args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }
}
