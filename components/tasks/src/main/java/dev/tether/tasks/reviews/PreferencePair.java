package dev.tether.tasks.reviews;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Two responses to one prompt, the one with the higher gold reward first (TRL's explicit-prompt
 * preference format): prompt "the food", chosen "was superb .", rejected "was not good .". The ids
 * fields are the same as token ids; response ids end with EOS.
 */
public record PreferencePair(
        @JsonProperty("prompt") String prompt,
        @JsonProperty("prompt_ids") int[] promptIds,
        @JsonProperty("chosen") String chosen,
        @JsonProperty("chosen_ids") int[] chosenIds,
        @JsonProperty("chosen_gold") double chosenGold,
        @JsonProperty("rejected") String rejected,
        @JsonProperty("rejected_ids") int[] rejectedIds,
        @JsonProperty("rejected_gold") double rejectedGold) {}
