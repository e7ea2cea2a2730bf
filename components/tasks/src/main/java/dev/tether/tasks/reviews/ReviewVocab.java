package dev.tether.tasks.reviews;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The 65 tokens of the review language (DEMO-RECIPE.md, "The language"). Ids are fixed by the
 * order below, so a checkpoint, a rollout and a tokenizer.json written on another day agree:
 *
 * <pre>
 *   0 &lt;pad&gt;   1 &lt;bos&gt;   2 &lt;eos&gt;
 *   3 the   4 was   5 is   6 not   7 and   8 but   9 .
 *  10–14 intensifiers     15–34 nouns
 *  35–49 positive adjectives   50–64 negative adjectives
 * </pre>
 */
public final class ReviewVocab {

    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int THE = 3;
    public static final int WAS = 4;
    public static final int IS = 5;
    public static final int NOT = 6;
    public static final int AND = 7;
    public static final int BUT = 8;
    public static final int PERIOD = 9;

    public static final String PAD_TOKEN = "<pad>";
    public static final String BOS_TOKEN = "<bos>";
    public static final String EOS_TOKEN = "<eos>";

    public static final List<String> INTENSIFIERS =
            List.of("very", "really", "quite", "so", "extremely");

    /** In the recipe's order: the last four are the held-out evaluation nouns. */
    public static final List<String> NOUNS = List.of(
            "food", "service", "staff", "room", "movie", "plot", "acting", "music", "price", "view",
            "hotel", "book", "ending", "camera", "battery", "screen",
            "coffee", "pizza", "show", "game");

    public static final List<String> POSITIVE = List.of(
            "good", "great", "excellent", "superb", "lovely", "nice", "wonderful", "amazing",
            "fantastic", "pleasant", "perfect", "delightful", "brilliant", "charming", "enjoyable");

    public static final List<String> NEGATIVE = List.of(
            "bad", "poor", "terrible", "awful", "horrible", "boring", "dull", "disappointing",
            "mediocre", "bland", "annoying", "dreadful", "weak", "ugly", "lousy");

    public static final int FIRST_INTENSIFIER = 10;
    public static final int FIRST_NOUN = FIRST_INTENSIFIER + 5;
    public static final int FIRST_POSITIVE = FIRST_NOUN + 20;
    public static final int FIRST_NEGATIVE = FIRST_POSITIVE + 15;
    public static final int SIZE = FIRST_NEGATIVE + 15;

    /** [BOS] the N V not INT ADJ CONJ the N V not INT ADJ . [EOS]: the longest sentence. */
    public static final int MAX_SENTENCE_TOKENS = 16;

    private static final List<String> WORDS;
    private static final Map<String, Integer> IDS;

    static {
        List<String> words = new ArrayList<>(List.of(
                PAD_TOKEN, BOS_TOKEN, EOS_TOKEN, "the", "was", "is", "not", "and", "but", "."));
        words.addAll(INTENSIFIERS);
        words.addAll(NOUNS);
        words.addAll(POSITIVE);
        words.addAll(NEGATIVE);
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            if (ids.put(words.get(i), i) != null) {
                throw new IllegalStateException("review vocabulary: word '" + words.get(i)
                        + "' appears twice");
            }
        }
        if (words.size() != SIZE) {
            throw new IllegalStateException("review vocabulary: expected " + SIZE
                    + " tokens, found " + words.size());
        }
        WORDS = Collections.unmodifiableList(words);
        IDS = Collections.unmodifiableMap(ids);
    }

    private ReviewVocab() {}

    /** Every token's text, index = id. */
    public static List<String> words() {
        return WORDS;
    }

    /** The word's id; throws naming the word when it is not in the language. */
    public static int id(String word) {
        Integer id = IDS.get(word);
        if (id == null) {
            throw new IllegalArgumentException("'" + word + "' is not a word of the review "
                    + "language (" + SIZE + " tokens: see ReviewVocab)");
        }
        return id;
    }

    /** The id of a word, or -1: for callers that handle unknown words themselves. */
    public static int idOrMinusOne(String word) {
        Integer id = IDS.get(word);
        return id == null ? -1 : id;
    }

    /** The token's text; ids outside the vocabulary print as {@code #id} so errors stay readable. */
    public static String word(int id) {
        return isToken(id) ? WORDS.get(id) : "#" + id;
    }

    public static boolean isToken(int id) {
        return id >= 0 && id < SIZE;
    }

    public static boolean isSpecial(int id) {
        return id == PAD || id == BOS || id == EOS;
    }

    public static boolean isIntensifier(int id) {
        return id >= FIRST_INTENSIFIER && id < FIRST_NOUN;
    }

    public static boolean isNoun(int id) {
        return id >= FIRST_NOUN && id < FIRST_POSITIVE;
    }

    public static boolean isAdjective(int id) {
        return id >= FIRST_POSITIVE && id < SIZE;
    }

    public static boolean isVerb(int id) {
        return id == WAS || id == IS;
    }

    /** +1 for a positive adjective, −1 for a negative one, 0 for any other token. */
    public static int polarity(int id) {
        if (id >= FIRST_POSITIVE && id < FIRST_NEGATIVE) {
            return 1;
        }
        return id >= FIRST_NEGATIVE && id < SIZE ? -1 : 0;
    }

    public static int noun(String noun) {
        int id = id(noun);
        if (!isNoun(id)) {
            throw new IllegalArgumentException("'" + noun + "' is not a noun; nouns: " + NOUNS);
        }
        return id;
    }
}
