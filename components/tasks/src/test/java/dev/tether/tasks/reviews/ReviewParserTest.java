package dev.tether.tasks.reviews;

import static dev.tether.tasks.reviews.Sentences.concat;
import static dev.tether.tasks.reviews.Sentences.ids;
import static dev.tether.tasks.reviews.Sentences.words;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReviewParserTest {

    private static ParseResult.Unparsed unparsed(int[] tokens) {
        ParseResult r = ReviewParser.parse(tokens);
        assertThat(r).isInstanceOf(ParseResult.Unparsed.class);
        return (ParseResult.Unparsed) r;
    }

    private static Sentence parsed(int[] tokens) {
        ParseResult r = ReviewParser.parse(tokens);
        assertThat(r).as(Arrays.toString(tokens)).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).sentence();
    }

    @Test
    void recoversTheStructureOfEachOptionalPart() {
        Sentence s = parsed(ids("the food was not very good but the staff was awful ."));
        assertThat(s.verb()).isEqualTo(ReviewVocab.WAS);
        assertThat(s.first()).isEqualTo(new Clause(15, true, 10, 35));
        assertThat(s.conjunction()).isEqualTo(Conjunction.BUT);
        assertThat(s.second()).isEqualTo(new Clause(17, false, Clause.NO_INTENSIFIER, 53));

        Sentence single = parsed(ids("the coffee is extremely lovely ."));
        assertThat(single.verb()).isEqualTo(ReviewVocab.IS);
        assertThat(single.clauses()).containsExactly(new Clause(31, false, 14, 39));
        assertThat(single.conjunction()).isNull();

        assertThat(parsed(ids("the view is not dull and the room is so nice .")).conjunction())
                .isEqualTo(Conjunction.AND);
    }

    @Test
    void theLongestSentenceHasSixteenTokensAndParses() {
        int[] longest = ids("the food was not very good and the staff was not extremely good .");
        assertThat(longest).hasSize(ReviewVocab.MAX_SENTENCE_TOKENS);
        assertThat(ReviewParser.grammatical(longest)).isTrue();
        assertThat(parsed(longest).tokens()).containsExactly(longest);
    }

    @Test
    void whatFollowsTheFirstEosIsIgnored() {
        int[] padded = concat(ids("the food was good ."), new int[] {0, 0, 0});
        assertThat(parsed(padded).text()).isEqualTo("the food was good .");
        // Even garbage after the EOS: the sequence ended there.
        int[] garbage = concat(ids("the food was good ."), new int[] {99, -4, 1});
        assertThat(ReviewParser.grammatical(garbage)).isTrue();
    }

    /** Each failure mode: where the parser stops and what it says. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            the food was good                                  | 5  | expected 'and', 'but' or '.', found <eos>
            the food good .                                    | 3  | expected 'was' or 'is', found 'good'
            food was good .                                    | 1  | expected 'the', found 'food'
            the the food was good .                            | 2  | expected a noun, found 'the'
            the good was good .                                | 2  | expected a noun, found 'good'
            the food was .                                     | 4  | expected 'not', an intensifier or an adjective, found '.'
            the food was not .                                 | 5  | expected an intensifier or an adjective, found '.'
            the food was very .                                | 5  | expected an adjective, found '.'
            the food was very not good .                       | 5  | expected an adjective, found 'not'
            the food was not not good .                        | 5  | expected an intensifier or an adjective, found 'not'
            the food was very very good .                      | 5  | expected an adjective, found 'very'
            the food was good good .                           | 5  | expected 'and', 'but' or '.', found 'good'
            the food was good and .                            | 6  | expected 'the', found '.'
            the food was good and the staff was nice           | 10 | expected '.', found <eos>
            the food was good and the staff is nice .          | 8  | expected 'was', the sentence's verb, found 'is'
            the food is good but the staff was nice .          | 8  | expected 'is', the sentence's verb, found 'was'
            the food was good and the staff was nice and .     | 10 | expected '.', found 'and'
            the food was good . .                              | 6  | expected <eos> after '.', found '.'
            the food was good . the                            | 6  | expected <eos> after '.', found 'the'
            the food was good but but the staff was bad .      | 6  | expected 'the', found 'but'
            the food was good <pad> .                          | 5  | expected 'and', 'but' or '.', found '<pad>'
            the food was <bos> good .                          | 4  | expected 'not', an intensifier or an adjective, found '<bos>'
            """)
    void eachFailureModeIsReportedAtItsToken(String text, int position, String reason) {
        ParseResult.Unparsed u = unparsed(ids(text));
        assertThat(u.position()).isEqualTo(position);
        assertThat(u.reason()).isEqualTo(reason);
    }

    @Test
    void structuralFailures() {
        assertThat(unparsed(new int[0]).reason()).isEqualTo("expected <bos>, found an empty sequence");
        // No BOS.
        ParseResult.Unparsed noBos = unparsed(concat(words("the food was good ."), new int[] {2}));
        assertThat(noBos.position()).isZero();
        assertThat(noBos.reason()).isEqualTo("expected <bos>, found 'the'");
        // No EOS at all.
        int[] noEos = ReviewTokenizer.encode("the food was good .", true);
        assertThat(unparsed(noEos).reason()).isEqualTo("expected <eos>, found none in 6 tokens");
        // Only an EOS.
        assertThat(unparsed(new int[] {ReviewVocab.EOS}).reason())
                .isEqualTo("expected <bos>, found <eos>");
        assertThat(unparsed(new int[] {ReviewVocab.BOS, ReviewVocab.EOS}).reason())
                .isEqualTo("expected 'the', found <eos>");
        // Ids outside the vocabulary are named, not looked up.
        ParseResult.Unparsed outside = unparsed(new int[] {1, 3, 70, 4, 35, 9, 2});
        assertThat(outside.position()).isEqualTo(2);
        assertThat(outside.reason()).isEqualTo("expected a noun, found '#70'");
        assertThat(unparsed(new int[] {-1, 2}).reason()).isEqualTo("expected <bos>, found '#-1'");
    }

    @Test
    void moreThanSixteenTokensUpToTheEosIsRefusedEvenIfOtherwiseWellFormed() {
        // 17 tokens: two BOS-free clauses can't get there, so pad the front with a second <bos>;
        // the length rule fires first, naming the EOS's position.
        int[] seventeen = concat(new int[] {1}, ids("the food was not very good and the staff was not extremely good ."));
        assertThat(seventeen).hasSize(17);
        ParseResult.Unparsed u = unparsed(seventeen);
        assertThat(u.position()).isEqualTo(16);
        assertThat(u.reason()).isEqualTo("expected <eos> within 16 tokens, found it at token 16");
    }

    /**
     * The grammar, written a second way (a regular expression over the words, with a back
     * reference for the shared verb), must accept exactly what the parser accepts — on sentences
     * of the language mutated by one to three random edits, so most are near misses.
     */
    @Test
    void agreesWithARegularExpressionOnMutatedSentences() {
        String noun = "(?:" + String.join("|", ReviewVocab.NOUNS) + ")";
        String intensifier = "(?:" + String.join("|", ReviewVocab.INTENSIFIERS) + ")";
        String adjective = "(?:" + String.join("|", ReviewVocab.POSITIVE) + "|"
                + String.join("|", ReviewVocab.NEGATIVE) + ")";
        String clauseTail = "(?: not)?(?: " + intensifier + ")? " + adjective;
        Pattern grammar = Pattern.compile("<bos> the " + noun + " (was|is)" + clauseTail
                + "(?: (?:and|but) the " + noun + " \\1" + clauseTail + ")? \\. <eos>");

        ReviewGenerator generator = new ReviewGenerator(GeneratorConfig.RECIPE, 11);
        SplitMix64 rng = new SplitMix64(12);
        int accepted = 0;
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            int[] tokens = generator.next().tokens();
            int edits = 1 + rng.nextInt(3);
            for (int e = 0; e < edits; e++) {
                tokens = mutate(tokens, rng);
            }
            int eos = ReviewParser.firstEos(tokens, 0);
            boolean expected = eos >= 0 && eos < 16 && Arrays.stream(tokens, 0, eos + 1)
                    .allMatch(ReviewVocab::isToken)
                    && grammar.matcher(ReviewTokenizer.decode(Arrays.copyOf(tokens, eos + 1), false)).matches();
            assertThat(ReviewParser.grammatical(tokens)).as(Arrays.toString(tokens)).isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        // Dropping or inserting "not" and intensifiers, swapping adjectives: some mutants stay
        // grammatical (about 4.5 % for this seed, ~2 250), so both answers are exercised.
        assertThat(accepted).isBetween(n / 40, n / 4);
    }

    private static int[] mutate(int[] tokens, SplitMix64 rng) {
        int kind = rng.nextInt(4);
        int at = rng.nextInt(tokens.length + (kind == 1 ? 1 : 0));
        int token = rng.nextInt(ReviewVocab.SIZE + 2) - 1; // -1 and 65 sit just outside
        switch (kind) {
            case 0: { // substitute
                int[] out = tokens.clone();
                out[at] = token;
                return out;
            }
            case 1: { // insert
                int[] out = new int[tokens.length + 1];
                System.arraycopy(tokens, 0, out, 0, at);
                out[at] = token;
                System.arraycopy(tokens, at, out, at + 1, tokens.length - at);
                return out;
            }
            case 2: { // delete
                if (tokens.length == 1) {
                    return tokens;
                }
                int[] out = new int[tokens.length - 1];
                System.arraycopy(tokens, 0, out, 0, at);
                System.arraycopy(tokens, at + 1, out, at, tokens.length - at - 1);
                return out;
            }
            default: { // swap with the next token
                int[] out = tokens.clone();
                int next = Math.min(at + 1, tokens.length - 1);
                out[at] = tokens[next];
                out[next] = tokens[at];
                return out;
            }
        }
    }

    @Test
    void deletingATokenBreaksTheSentenceUnlessItIsNotOrAnIntensifier() {
        ReviewGenerator generator = new ReviewGenerator(GeneratorConfig.RECIPE, 5);
        for (int i = 0; i < 2_000; i++) {
            int[] tokens = generator.next().tokens();
            for (int at = 0; at < tokens.length; at++) {
                int[] out = new int[tokens.length - 1];
                System.arraycopy(tokens, 0, out, 0, at);
                System.arraycopy(tokens, at + 1, out, at, tokens.length - at - 1);
                boolean optional = tokens[at] == ReviewVocab.NOT
                        || ReviewVocab.isIntensifier(tokens[at]);
                assertThat(ReviewParser.grammatical(out))
                        .as("%s without token %d", Arrays.toString(tokens), at)
                        .isEqualTo(optional);
            }
        }
    }
}
