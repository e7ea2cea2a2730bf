package dev.tether.tasks.reviews;

/** What {@link ReviewParser} found: a sentence, or where and why the tokens are not one. */
public sealed interface ParseResult {

    boolean parsed();

    /** The tokens spell this sentence (up to and including the first EOS). */
    record Parsed(Sentence sentence) implements ParseResult {
        @Override
        public boolean parsed() {
            return true;
        }
    }

    /**
     * @param position index of the offending token in the sequence given to the parser
     * @param reason what was expected and what was found there
     */
    record Unparsed(int position, String reason) implements ParseResult {
        @Override
        public boolean parsed() {
            return false;
        }

        @Override
        public String toString() {
            return "token " + position + ": " + reason;
        }
    }
}
