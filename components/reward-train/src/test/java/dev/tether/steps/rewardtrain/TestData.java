package dev.tether.steps.rewardtrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.core.artifact.ArtifactWriter;
import dev.tether.core.formats.PromptsFile;
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
 * A small review language for the tests, with a preference a bag of words can learn: the chosen
 * response says "good", the rejected one says "bad". The tokenizer.json is WordLevel with the
 * Whitespace pre-tokenizer, BOS added by its post-processor and no unknown token.
 */
final class TestData {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> WORDS = List.of("<pad>", "<bos>", "<eos>", "the", "food", "service", "room", "was", "is", "good", "bad",
            "very", "quite", "and", "but", "music", "price", "view", "fine", ".");
    static final int BOS = 1;
    static final int EOS = 2;

    private TestData() {}

    static int id(String w) {
        int i = WORDS.indexOf(w);
        if (i < 0) {
            throw new IllegalArgumentException(w);
        }
        return i;
    }

    static Path tokenizer(Path dir, List<String> words) {
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
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<bos>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<bos>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject("<bos>");
        bos.put("id", "<bos>");
        bos.putArray("ids").add(BOS);
        bos.putArray("tokens").add("<bos>");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < words.size(); i++) {
            vocab.put(words.get(i), i);
        }
        model.put("unk_token", "<unk>");
        try (ArtifactWriter w = ArtifactWriter.create(dir, TokenizerInput.SCHEMA, 1, "test")) {
            w.writeJson(TokenizerInput.TOKENIZER_JSON, root);
            w.writeJson("special_tokens_map.json", JSON.createObjectNode().put("bos_token", "<bos>").put("eos_token", "<eos>")
                    .put("pad_token", "<pad>"));
            return w.commit();
        }
    }

    static Path tokenizer(Path dir) {
        return tokenizer(dir, WORDS);
    }

    static Path artifact(Path dir, String schema, String file, List<String> lines) {
        try (ArtifactWriter w = ArtifactWriter.create(dir, schema, 1, "test")) {
            w.writeText(file, lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
            return w.commit();
        }
    }

    static Path preferences(Path dir, List<String> lines) {
        return artifact(dir, Schemas.PREFERENCES, PreferencePairs.FILE_NAME, lines);
    }

    static Path text(Path dir, List<String> lines) {
        return artifact(dir, Schemas.TEXT, "text.jsonl", lines);
    }

    static Path prompts(Path dir, List<String> prompts) {
        List<String> lines = prompts.stream().map(p -> JSON.createObjectNode().put("prompt", p).toString()).toList();
        return artifact(dir, Schemas.PROMPTS, PromptsFile.FILE_NAME, lines);
    }

    static final List<String> NOUNS = List.of("food", "service", "room", "music", "price", "view");

    /** A response like "was very good ." or "is good and the view was fine ." that says {@code adjective}. */
    static String response(String adjective, SplittableRandom rng) {
        String verb = rng.nextBoolean() ? "was" : "is";
        String first = verb + (rng.nextInt(3) == 0 ? " very " : " ") + adjective;
        return switch (rng.nextInt(3)) {
            case 0 -> first + " .";
            case 1 -> first + " and the " + NOUNS.get(rng.nextInt(NOUNS.size())) + " " + verb + " fine .";
            default -> "quite " + adjective + " but the " + NOUNS.get(rng.nextInt(NOUNS.size())) + " " + verb + " fine .";
        };
    }

    /** {@code n} pairs: chosen says good, rejected says bad, both answering "the NOUN". */
    static List<String> pairs(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(JSON.createObjectNode().put("prompt", "the " + NOUNS.get(rng.nextInt(NOUNS.size())))
                    .put("chosen", response("good", rng)).put("rejected", response("bad", rng)).toString());
        }
        return lines;
    }

    /** The same pairs as token ids, without prompt: [BOS, the, NOUN, response…, EOS]. */
    static List<String> pairIds(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String noun = NOUNS.get(rng.nextInt(NOUNS.size()));
            ObjectNode o = JSON.createObjectNode();
            o.set("chosen_ids", ids("the " + noun + " " + response("good", rng)));
            o.set("rejected_ids", ids("the " + noun + " " + response("bad", rng)));
            lines.add(o.toString());
        }
        return lines;
    }

    static ArrayNode ids(String text) {
        ArrayNode a = JSON.createArrayNode().add(BOS);
        for (String w : text.split(" ")) {
            a.add(id(w));
        }
        return a.add(EOS);
    }

    record Run(int exit, String err) {}

    static Run cli(Step step, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = StepCli.execute(step, args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }
}
