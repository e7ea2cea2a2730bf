package dev.tether.tasks.reviews;

/**
 * One clause, {@code the NOUN VERB [not] [INT] ADJ}, without its verb: a sentence chooses the verb
 * once for both clauses.
 *
 * @param noun a noun's token id
 * @param negated whether "not" precedes the adjective (and intensifier)
 * @param intensifier an intensifier's token id, or {@link #NO_INTENSIFIER}
 * @param adjective an adjective's token id
 */
public record Clause(int noun, boolean negated, int intensifier, int adjective) {

    public static final int NO_INTENSIFIER = -1;

    public Clause {
        if (!ReviewVocab.isNoun(noun)) {
            throw new IllegalArgumentException("noun: expected a noun id, found "
                    + ReviewVocab.word(noun));
        }
        if (intensifier != NO_INTENSIFIER && !ReviewVocab.isIntensifier(intensifier)) {
            throw new IllegalArgumentException("intensifier: expected an intensifier id or -1, "
                    + "found " + ReviewVocab.word(intensifier));
        }
        if (!ReviewVocab.isAdjective(adjective)) {
            throw new IllegalArgumentException("adjective: expected an adjective id, found "
                    + ReviewVocab.word(adjective));
        }
    }

    public boolean intensified() {
        return intensifier != NO_INTENSIFIER;
    }

    /** The adjective's polarity, flipped by "not": the clause's sentiment (±1). */
    public int sentiment() {
        int polarity = ReviewVocab.polarity(adjective);
        return negated ? -polarity : polarity;
    }

    /** How many tokens the clause takes with its verb: the N V [not] [INT] ADJ. */
    int length() {
        return 4 + (negated ? 1 : 0) + (intensified() ? 1 : 0);
    }

    int writeTo(int[] out, int at, int verb) {
        out[at++] = ReviewVocab.THE;
        out[at++] = noun;
        out[at++] = verb;
        if (negated) {
            out[at++] = ReviewVocab.NOT;
        }
        if (intensified()) {
            out[at++] = intensifier;
        }
        out[at++] = adjective;
        return at;
    }
}
