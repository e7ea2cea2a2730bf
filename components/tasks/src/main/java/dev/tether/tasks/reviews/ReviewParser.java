package dev.tether.tasks.reviews;

/**
 * Recognises exactly the review language, nothing more:
 *
 * <pre>
 *   SENTENCE = &lt;bos&gt; CLAUSE [CONJ CLAUSE] . &lt;eos&gt;      at most 16 tokens
 *   CLAUSE   = the NOUN VERB [not] [INT] ADJ           VERB the same in both clauses
 *   CONJ     = and | but      VERB = was | is
 * </pre>
 *
 * The sequence ends at its first EOS; whatever follows it is ignored, as a rollout stops there
 * and pads the rest. So "… good . &lt;eos&gt; &lt;pad&gt; &lt;pad&gt;" parses, while a PAD, BOS, an
 * id outside the vocabulary or any word out of place before the EOS does not. Mixed verbs ("was
 * … and … is") are rejected: the language chooses the verb once per sentence, and the base model
 * never saw them. Never throws on any int[]; a failure names the first wrong token and why.
 */
public final class ReviewParser {

    private static final int ANY_VERB = -1;

    private ReviewParser() {}

    public static ParseResult parse(int[] tokens) {
        return new Cursor(tokens).sentence();
    }

    public static boolean grammatical(int[] tokens) {
        return parse(tokens).parsed();
    }

    /** Index of the first EOS at or after {@code from}, or -1. */
    static int firstEos(int[] tokens, int from) {
        for (int i = from; i < tokens.length; i++) {
            if (tokens[i] == ReviewVocab.EOS) {
                return i;
            }
        }
        return -1;
    }

    /** Reads left to right; each rule either advances or records the failure and returns null. */
    private static final class Cursor {
        private final int[] tokens;
        private final int end; // index of the first EOS
        private int at;
        private int verb = ANY_VERB;
        private ParseResult.Unparsed failure;

        Cursor(int[] tokens) {
            this.tokens = tokens;
            this.end = firstEos(tokens, 0);
        }

        ParseResult sentence() {
            if (tokens.length == 0) {
                return new ParseResult.Unparsed(0, "expected <bos>, found an empty sequence");
            }
            if (end < 0) {
                return new ParseResult.Unparsed(tokens.length, "expected <eos>, found none in "
                        + tokens.length + " tokens");
            }
            if (end >= ReviewVocab.MAX_SENTENCE_TOKENS) {
                return new ParseResult.Unparsed(end, "expected <eos> within "
                        + ReviewVocab.MAX_SENTENCE_TOKENS + " tokens, found it at token " + end);
            }
            if (!accept(tokens[0] == ReviewVocab.BOS, "<bos>")) {
                return failure;
            }
            Clause first = clause();
            if (first == null) {
                return failure;
            }
            Conjunction conjunction = Conjunction.of(peek());
            Clause second = null;
            if (conjunction != null) {
                at++;
                second = clause();
                if (second == null) {
                    return failure;
                }
            }
            if (!accept(peek() == ReviewVocab.PERIOD,
                    second == null ? "'and', 'but' or '.'" : "'.'")) {
                return failure;
            }
            if (at != end) {
                return fail("<eos> after '.'");
            }
            return new ParseResult.Parsed(new Sentence(verb, first, conjunction, second));
        }

        private Clause clause() {
            if (!accept(peek() == ReviewVocab.THE, "'the'")) {
                return null;
            }
            int noun = peek();
            if (!accept(ReviewVocab.isNoun(noun), "a noun")) {
                return null;
            }
            boolean verbOk = verb == ANY_VERB ? ReviewVocab.isVerb(peek()) : peek() == verb;
            if (!accept(verbOk, verb == ANY_VERB ? "'was' or 'is'"
                    : "'" + ReviewVocab.word(verb) + "', the sentence's verb")) {
                return null;
            }
            verb = tokens[at - 1];
            boolean negated = peek() == ReviewVocab.NOT;
            if (negated) {
                at++;
            }
            int intensifier = Clause.NO_INTENSIFIER;
            if (ReviewVocab.isIntensifier(peek())) {
                intensifier = tokens[at++];
            }
            int adjective = peek();
            String expected = intensifier != Clause.NO_INTENSIFIER ? "an adjective"
                    : negated ? "an intensifier or an adjective"
                    : "'not', an intensifier or an adjective";
            if (!accept(ReviewVocab.isAdjective(adjective), expected)) {
                return null;
            }
            return new Clause(noun, negated, intensifier, adjective);
        }

        /** The next token, or EOS at the end (so every rule reports "found <eos>" there). */
        private int peek() {
            return at < end ? tokens[at] : ReviewVocab.EOS;
        }

        private boolean accept(boolean ok, String expected) {
            if (ok) {
                at++;
                return true;
            }
            failure = fail(expected);
            return false;
        }

        private ParseResult.Unparsed fail(String expected) {
            String found = at < end ? "'" + ReviewVocab.word(tokens[at]) + "'" : "<eos>";
            return failure = new ParseResult.Unparsed(at, "expected " + expected + ", found "
                    + found);
        }
    }
}
