package dev.tether.steps.rewardtrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** What a reward model is trained to agree with: preference pairs (Bradley–Terry) or labelled texts (logistic). */
interface Objective {

    /** Records (pairs or texts). */
    int size();

    /** The mean loss of the records {@code rows}, differentiable; arrays in {@code m}. */
    NDArray loss(RewardModel model, NDManager m, int[] rows, int padId);

    /** Loss and accuracy of the records {@code rows}, without gradients. */
    Evaluation evaluate(RewardModel model, int[] rows, int batch, int padId, NDManager parent);

    /** Every sequence of the records {@code rows} (both sides of a pair), e.g. to normalise scores over. */
    List<int[]> sequences(int[] rows);

    record Evaluation(double loss, double accuracy) {}
}
