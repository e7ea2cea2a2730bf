package dev.tether.tasks.reviews;

import java.util.List;

/**
 * The demo's prompts, {@code [BOS, the, NOUN]}: the policy is trained on 16 nouns and evaluated on
 * 4 it never saw as a prompt (it did see them in pretraining, as second-clause nouns too), so the
 * evaluation measures what the policy learned about reviews, not about four prompts.
 */
public final class ReviewPrompts {

    public static final List<String> EVAL_NOUNS = List.of("coffee", "pizza", "show", "game");
    public static final List<String> TRAIN_NOUNS =
            ReviewVocab.NOUNS.stream().filter(n -> !EVAL_NOUNS.contains(n)).toList();

    private ReviewPrompts() {}

    /** [BOS, the, noun]. */
    public static int[] ids(String noun) {
        return new int[] {ReviewVocab.BOS, ReviewVocab.THE, ReviewVocab.noun(noun)};
    }

    /** "the noun": the prompt's text; the tokenizer adds the BOS. */
    public static String text(String noun) {
        ReviewVocab.noun(noun);
        return "the " + noun;
    }
}
