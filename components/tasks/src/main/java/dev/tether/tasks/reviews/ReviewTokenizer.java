package dev.tether.tasks.reviews;

import java.util.Arrays;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text ↔ ids for the review language in plain Java, so steps that need no model need no native
 * tokenizer. It does what the {@code tokenizer.json} from {@link HfTokenizerFiles} does in
 * Hugging Face's tokenizers (a test holds the two to the same ids):
 * <ul>
 *   <li>special tokens ({@code <pad> <bos> <eos>}) are matched first, anywhere in the text;</li>
 *   <li>the rest is split like the {@code Whitespace} pre-tokenizer, {@code \w+|[^\w\s]+}, so
 *       "good." and "good ." both give [good, .];</li>
 *   <li>each piece must be a word of the language: there is no unknown token, an unknown word is
 *       an error that names it (a silent &lt;unk&gt; would score as ungrammatical far downstream);
 *   </li>
 *   <li>with {@code addBos}, {@code <bos>} is put first, like the post-processor, so
 *       encode("the coffee", true) is the demo's prompt [BOS, the, coffee]; EOS is never added:
 *       a prompt does not end.</li>
 * </ul>
 * Decoding joins tokens with one space, as tokenizers does when a tokenizer.json has no decoder.
 */
public final class ReviewTokenizer {

    private static final Pattern SPECIAL = Pattern.compile(Pattern.quote(ReviewVocab.PAD_TOKEN)
            + "|" + Pattern.quote(ReviewVocab.BOS_TOKEN) + "|" + Pattern.quote(ReviewVocab.EOS_TOKEN));
    private static final Pattern WHITESPACE_PIECES =
            Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    private ReviewTokenizer() {}

    public static int[] encode(String text, boolean addBos) {
        int[] ids = new int[text.length() + 1];
        int n = 0;
        if (addBos) {
            ids[n++] = ReviewVocab.BOS;
        }
        // Special tokens first, then the pre-tokenizer on the text between them, as tokenizers
        // does with added tokens: ".<eos>" is [., <eos>], not the piece ".<".
        Matcher special = SPECIAL.matcher(text);
        int from = 0;
        while (true) {
            boolean found = special.find();
            int to = found ? special.start() : text.length();
            Matcher m = WHITESPACE_PIECES.matcher(text).region(from, to);
            while (m.find()) {
                int id = ReviewVocab.idOrMinusOne(m.group());
                if (id < 0) {
                    throw new IllegalArgumentException("text \"" + text + "\", character "
                            + m.start() + ": '" + m.group() + "' is not a word of the review "
                            + "language");
                }
                ids[n++] = id;
            }
            if (!found) {
                break;
            }
            ids[n++] = ReviewVocab.id(special.group());
            from = special.end();
        }
        return Arrays.copyOf(ids, n);
    }

    /** The tokens' texts one space apart; with {@code skipSpecialTokens}, without pad/bos/eos. */
    public static String decode(int[] ids, boolean skipSpecialTokens) {
        StringJoiner out = new StringJoiner(" ");
        for (int i = 0; i < ids.length; i++) {
            if (!ReviewVocab.isToken(ids[i])) {
                throw new IllegalArgumentException("ids[" + i + "]: expected a token id in [0, "
                        + ReviewVocab.SIZE + "), found " + ids[i]);
            }
            if (!(skipSpecialTokens && ReviewVocab.isSpecial(ids[i]))) {
                out.add(ReviewVocab.word(ids[i]));
            }
        }
        return out.toString();
    }
}
