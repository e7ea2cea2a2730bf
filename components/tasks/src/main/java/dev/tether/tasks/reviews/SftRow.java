package dev.tether.tasks.reviews;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One pretraining sentence, in both of TRL's shapes: prompt + completion, and text. The ids are
 * what the model trains on: {@code [BOS] words [EOS]} (a tokenizer given the text adds the BOS but
 * never the EOS).
 *
 * @param prompt "the NOUN"
 * @param completion the rest of the sentence, "was good ."
 * @param text the whole sentence
 * @param ids [BOS] words [EOS]
 * @param gold the sentence's gold reward
 */
public record SftRow(
        @JsonProperty("prompt") String prompt,
        @JsonProperty("completion") String completion,
        @JsonProperty("text") String text,
        @JsonProperty("ids") int[] ids,
        @JsonProperty("gold") double gold) {}
