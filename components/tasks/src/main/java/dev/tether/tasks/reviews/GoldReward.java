package dev.tether.tasks.reviews;

import java.util.Arrays;
import java.util.Objects;

/**
 * The demo's true reward, the one the proxy reward model only approximates (DEMO-RECIPE.md):
 *
 * <pre>
 *   clause score = polarity(ADJ) · (−1 if "not") · (1.5 if intensified)
 *   gold = mean of the clause scores
 *        = −1 if both clauses name the same noun
 *        = −1 if "but" joins two clauses of the same sentiment   (unless {@link #RECIPE})
 *        = −2 if the sequence does not parse, or the response has no EOS within 13 tokens
 * </pre>
 *
 * The penalties replace the mean rather than subtract from it: a repeated noun or a "but" without
 * contrast is grammatical but something a reader frowns at, so it sits between the worst honest
 * review (−1.5) and broken text (−2) — and a proxy that loves "great" cannot buy it back by
 * writing "great" twice.
 *
 * <p>"but" between two clauses of the same sentiment ("the food was good but the staff was
 * nice") never comes out of the generator, so the base model rarely writes it; it is exactly the
 * text a bag-of-words proxy rewards. {@link #DEFAULT} frowns at it (−1); {@link #RECIPE} scores
 * it as a plain mean, as the recipe's experiment did, for comparing with its numbers. "and"
 * between opposite sentiments is ordinary English and is scored as the mean (about 0).
 *
 * <p>Nothing here throws on a malformed sequence (any ids, any length): it scores −2. Null
 * arrays are programming errors and do throw.
 */
public final class GoldReward {

    /** Ungrammatical, truncated or not a sentence at all. */
    public static final double UNGRAMMATICAL = -2.0;
    /** Grammatical but incoherent: a repeated noun, or "but" without contrast. */
    public static final double INCOHERENT = -1.0;
    public static final double INTENSIFIER_FACTOR = 1.5;
    /** A response must end within this many tokens; with the 3-token prompt, 16 in all. */
    public static final int MAX_RESPONSE_TOKENS = 13;

    /** The demo's gold: frowns at "but" without contrast. */
    public static final GoldReward DEFAULT = new GoldReward(true);
    /** The gold of the recipe's experiment: "but" without contrast scores its plain mean. */
    public static final GoldReward RECIPE = new GoldReward(false);

    private final boolean butNeedsContrast;

    private GoldReward(boolean butNeedsContrast) {
        this.butNeedsContrast = butNeedsContrast;
    }

    public boolean butNeedsContrast() {
        return butNeedsContrast;
    }

    /** polarity · (−1 if negated) · (1.5 if intensified). */
    public static double clauseScore(Clause clause) {
        return clause.sentiment() * (clause.intensified() ? INTENSIFIER_FACTOR : 1.0);
    }

    /** The gold of a whole sequence {@code [BOS] words [EOS] [anything]}. */
    public Gold judgeSentence(int[] tokens) {
        Objects.requireNonNull(tokens, "tokens");
        ParseResult result = ReviewParser.parse(tokens);
        if (result instanceof ParseResult.Unparsed u) {
            return new Gold(UNGRAMMATICAL, Gold.Verdict.UNGRAMMATICAL, u.toString());
        }
        return judge(((ParseResult.Parsed) result).sentence());
    }

    /**
     * The gold of a response to a prompt: −2 unless an EOS comes within the first
     * {@link #MAX_RESPONSE_TOKENS} response tokens; otherwise the gold of prompt + response up to
     * that EOS (what follows it is padding).
     */
    public Gold judgeResponse(int[] prompt, int[] response) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
        int eos = ReviewParser.firstEos(response, 0);
        if (eos < 0 || eos >= MAX_RESPONSE_TOKENS) {
            return new Gold(UNGRAMMATICAL, Gold.Verdict.UNGRAMMATICAL, "expected <eos> within "
                    + MAX_RESPONSE_TOKENS + " response tokens, found "
                    + (eos < 0 ? "none in " + response.length : "it at response token " + eos));
        }
        int[] whole = Arrays.copyOf(prompt, prompt.length + eos + 1);
        System.arraycopy(response, 0, whole, prompt.length, eos + 1);
        return judgeSentence(whole);
    }

    public double scoreSentence(int[] tokens) {
        return judgeSentence(tokens).value();
    }

    public double scoreResponse(int[] prompt, int[] response) {
        return judgeResponse(prompt, response).value();
    }

    /** The gold of a parsed sentence. */
    public Gold judge(Sentence sentence) {
        Clause first = sentence.first();
        Clause second = sentence.second();
        if (second == null) {
            return new Gold(clauseScore(first), Gold.Verdict.SCORED, "");
        }
        if (first.noun() == second.noun()) {
            return new Gold(INCOHERENT, Gold.Verdict.REPEATED_NOUN, "");
        }
        if (butNeedsContrast && sentence.conjunction() == Conjunction.BUT
                && first.sentiment() == second.sentiment()) {
            return new Gold(INCOHERENT, Gold.Verdict.BUT_WITHOUT_CONTRAST, "");
        }
        return new Gold((clauseScore(first) + clauseScore(second)) / 2, Gold.Verdict.SCORED, "");
    }

    /** Whether prompt + response is a sentence of the language, the EOS within 13 tokens. */
    public static boolean grammaticalResponse(int[] prompt, int[] response) {
        return DEFAULT.judgeResponse(prompt, response).grammatical();
    }

    @Override
    public String toString() {
        return butNeedsContrast ? "GoldReward.DEFAULT" : "GoldReward.RECIPE";
    }
}
