package dev.tether.tasks.reviews;

/** The words that join two clauses: "and" keeps the first clause's sentiment, "but" flips it. */
public enum Conjunction {
    AND(ReviewVocab.AND),
    BUT(ReviewVocab.BUT);

    private final int token;

    Conjunction(int token) {
        this.token = token;
    }

    public int token() {
        return token;
    }

    /** The conjunction this token spells, or null. */
    public static Conjunction of(int token) {
        return token == ReviewVocab.AND ? AND : token == ReviewVocab.BUT ? BUT : null;
    }
}
