package dev.tether.tasks.reviews;

/**
 * A generated sentence and what the generator meant by it, recorded from its own draws (not by
 * reading the words back), so a test can hold {@link GoldReward} to the intent.
 *
 * @param sentence the sentence
 * @param sentiment the intended sentiment of the first clause, ±1 ("and" keeps it for the second
 *     clause, "but" flips it)
 * @param intendedGold the mean over clauses of intended sentiment × (1.5 if intensified)
 */
public record Review(Sentence sentence, int sentiment, double intendedGold) {

    public int[] tokens() {
        return sentence.tokens();
    }

    public String text() {
        return sentence.text();
    }
}
