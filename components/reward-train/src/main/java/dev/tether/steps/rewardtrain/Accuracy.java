package dev.tether.steps.rewardtrain;

/**
 * How often the reward model agrees with the data. A tie is half right: a bag of words gives two
 * responses with the same words the same score, and counting that as either right or wrong would
 * bias the number.
 */
final class Accuracy {
    private Accuracy() {}

    /** Share of pairs with r_chosen > r_rejected. */
    static double pairs(float[] chosen, float[] rejected) {
        double right = 0;
        for (int i = 0; i < chosen.length; i++) {
            right += chosen[i] > rejected[i] ? 1 : chosen[i] == rejected[i] ? 0.5 : 0;
        }
        return right / chosen.length;
    }

    /** Share of texts whose score has the label's sign (label 1: r > 0). */
    static double labels(float[] scores, float[] labels) {
        double right = 0;
        for (int i = 0; i < scores.length; i++) {
            right += scores[i] == 0 ? 0.5 : (scores[i] > 0) == (labels[i] > 0.5f) ? 1 : 0;
        }
        return right / scores.length;
    }
}
