package dev.tether.tasks.reviews;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of a prompts artifact (DESIGN.md, 5): {@code {"prompt": "the coffee", "prompt_ids":
 * [1, 3, 31], "noun": "coffee"}}.
 */
public record PromptRow(
        @JsonProperty("prompt") String prompt,
        @JsonProperty("prompt_ids") int[] promptIds,
        @JsonProperty("noun") String noun) {

    public static PromptRow of(String noun) {
        return new PromptRow(ReviewPrompts.text(noun), ReviewPrompts.ids(noun), noun);
    }
}
