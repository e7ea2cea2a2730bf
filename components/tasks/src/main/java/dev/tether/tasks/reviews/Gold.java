package dev.tether.tasks.reviews;

/**
 * The gold reward of one sequence and which rule gave it.
 *
 * @param value the reward
 * @param verdict the rule that decided it
 * @param reason for {@link Verdict#UNGRAMMATICAL}, the parser's or the length rule's message;
 *     otherwise empty
 */
public record Gold(double value, Verdict verdict, String reason) {

    public enum Verdict {
        /** Grammatical: the mean of the clause scores. */
        SCORED,
        /** Grammatical, but both clauses are about the same noun. */
        REPEATED_NOUN,
        /** Grammatical, but "but" joins clauses of the same sentiment. */
        BUT_WITHOUT_CONTRAST,
        /** Not a sentence of the language, or no EOS where one was due. */
        UNGRAMMATICAL
    }

    public boolean grammatical() {
        return verdict != Verdict.UNGRAMMATICAL;
    }
}
