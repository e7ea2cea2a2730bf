package dev.tether.tasks.reviews;

import java.util.List;

/**
 * A sentence of the review language: {@code CLAUSE [CONJ CLAUSE] .}, one verb for both clauses.
 * What the generator builds and what the parser recovers, so a round trip is an equality.
 *
 * @param verb {@link ReviewVocab#WAS} or {@link ReviewVocab#IS}
 * @param first the first clause
 * @param conjunction null for a one-clause sentence
 * @param second null for a one-clause sentence
 */
public record Sentence(int verb, Clause first, Conjunction conjunction, Clause second) {

    public Sentence {
        if (!ReviewVocab.isVerb(verb)) {
            throw new IllegalArgumentException("verb: expected 'was' or 'is', found "
                    + ReviewVocab.word(verb));
        }
        if (first == null) {
            throw new IllegalArgumentException("first: a sentence needs a first clause");
        }
        if ((conjunction == null) != (second == null)) {
            throw new IllegalArgumentException("conjunction and second clause: expected both or "
                    + "neither, found " + conjunction + " and " + second);
        }
    }

    public static Sentence of(int verb, Clause only) {
        return new Sentence(verb, only, null, null);
    }

    public List<Clause> clauses() {
        return second == null ? List.of(first) : List.of(first, second);
    }

    /** {@code [BOS] words [EOS]}: at most {@link ReviewVocab#MAX_SENTENCE_TOKENS} ids. */
    public int[] tokens() {
        int n = 3 + first.length() + (second == null ? 0 : 1 + second.length());
        int[] out = new int[n];
        int at = 0;
        out[at++] = ReviewVocab.BOS;
        at = first.writeTo(out, at, verb);
        if (second != null) {
            out[at++] = conjunction.token();
            at = second.writeTo(out, at, verb);
        }
        out[at++] = ReviewVocab.PERIOD;
        out[at] = ReviewVocab.EOS;
        return out;
    }

    /** The words without special tokens, one space apart: "the food was good .". */
    public String text() {
        return ReviewTokenizer.decode(tokens(), true);
    }
}
