package dev.tether.tasks.reviews;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the evaluate step reports about a batch of responses, as pure functions of token ids.
 * A response is the ids as generated after the prompt; tokens after its first EOS are padding and
 * ignored. Its <em>words</em> are the tokens before the first EOS (all of them when there is
 * none); EOS itself is not a word.
 *
 * <ul>
 *   <li>{@code distinct_n}: distinct n-grams of words over the batch ÷ all n-grams of words
 *       (Li et al. 2016), n-grams never crossing responses; 0 when there is no n-gram.</li>
 *   <li>{@code repetition_rate}: fraction of words equal to the word before them in the same
 *       response ("nice nice nice" has 2 of 3); 0 when no response has two words. No word of the
 *       language may follow itself, so grammatical text scores exactly 0.</li>
 *   <li>{@code mean_length}: tokens up to and including the first EOS (all if none): the tokens a
 *       KL sum runs over.</li>
 *   <li>{@code eos_rate}: fraction with an EOS within {@value GoldReward#MAX_RESPONSE_TOKENS}
 *       tokens.</li>
 *   <li>{@code grammatical_rate}: fraction whose prompt + response parses
 *       ({@link GoldReward#judgeResponse}).</li>
 *   <li>{@code gold}: mean gold reward.</li>
 * </ul>
 * An empty batch is an error rather than 0 or NaN: "0 % grammatical" would be a lie, and NaN
 * cannot be written as JSON.
 */
public final class TextMetrics {

    private TextMetrics() {}

    /** All metrics, named as in the metrics artifact, in a stable order. */
    public static Map<String, Double> summary(List<int[]> prompts, List<int[]> responses,
            GoldReward gold) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("gold", meanGold(prompts, responses, gold));
        out.put("grammatical_rate", grammaticalRate(prompts, responses));
        out.put("eos_rate", eosRate(responses));
        out.put("mean_length", meanLength(responses));
        out.put("distinct_1", distinctN(responses, 1));
        out.put("distinct_2", distinctN(responses, 2));
        out.put("repetition_rate", repetitionRate(responses));
        return out;
    }

    public static double distinctN(List<int[]> responses, int n) {
        requireBatch(responses);
        if (n < 1) {
            throw new IllegalArgumentException("n: expected ≥ 1, got " + n);
        }
        Set<List<Integer>> distinct = new HashSet<>();
        long total = 0;
        for (int[] response : responses) {
            int[] words = words(response);
            for (int i = 0; i + n <= words.length; i++) {
                List<Integer> gram = new ArrayList<>(n);
                for (int j = i; j < i + n; j++) {
                    gram.add(words[j]);
                }
                distinct.add(gram);
                total++;
            }
        }
        return total == 0 ? 0.0 : (double) distinct.size() / total;
    }

    public static double repetitionRate(List<int[]> responses) {
        requireBatch(responses);
        long repeats = 0;
        long pairs = 0;
        for (int[] response : responses) {
            int[] words = words(response);
            for (int i = 1; i < words.length; i++) {
                pairs++;
                if (words[i] == words[i - 1]) {
                    repeats++;
                }
            }
        }
        return pairs == 0 ? 0.0 : (double) repeats / pairs;
    }

    public static double meanLength(List<int[]> responses) {
        requireBatch(responses);
        long tokens = 0;
        for (int[] response : responses) {
            int eos = ReviewParser.firstEos(response, 0);
            tokens += eos < 0 ? response.length : eos + 1;
        }
        return (double) tokens / responses.size();
    }

    public static double eosRate(List<int[]> responses) {
        requireBatch(responses);
        long ended = 0;
        for (int[] response : responses) {
            int eos = ReviewParser.firstEos(response, 0);
            if (eos >= 0 && eos < GoldReward.MAX_RESPONSE_TOKENS) {
                ended++;
            }
        }
        return (double) ended / responses.size();
    }

    public static double grammaticalRate(List<int[]> prompts, List<int[]> responses) {
        requirePairs(prompts, responses);
        long ok = 0;
        for (int i = 0; i < responses.size(); i++) {
            if (GoldReward.grammaticalResponse(prompts.get(i), responses.get(i))) {
                ok++;
            }
        }
        return (double) ok / responses.size();
    }

    public static double meanGold(List<int[]> prompts, List<int[]> responses, GoldReward gold) {
        requirePairs(prompts, responses);
        double sum = 0;
        for (int i = 0; i < responses.size(); i++) {
            sum += gold.scoreResponse(prompts.get(i), responses.get(i));
        }
        return sum / responses.size();
    }

    /** The tokens before the first EOS. */
    static int[] words(int[] response) {
        int eos = ReviewParser.firstEos(response, 0);
        return eos < 0 ? response : Arrays.copyOf(response, eos);
    }

    private static void requireBatch(List<int[]> responses) {
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("responses: expected at least one, found none");
        }
    }

    private static void requirePairs(List<int[]> prompts, List<int[]> responses) {
        requireBatch(responses);
        if (prompts.size() != responses.size()) {
            throw new IllegalArgumentException("prompts and responses: expected one prompt per "
                    + "response, found " + prompts.size() + " prompts and " + responses.size()
                    + " responses");
        }
    }
}
