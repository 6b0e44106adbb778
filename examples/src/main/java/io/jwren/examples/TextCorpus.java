package io.jwren.examples;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A made-up text corpus for wordcount when there is no input: words drawn from a fixed vocabulary with
 * Zipf-like frequencies, lines of 4-16 words, some with CRLF endings and accented words, so chunk
 * boundaries fall inside lines and multi-byte characters. The same seed gives the same bytes.
 */
final class TextCorpus {
    private static final String[] VOCABULARY = ("the of and to in a is that for it as was with be by on not he this are or his "
            + "from at which but have an they you were her she there been one all we their has would when if so no will "
            + "cloud lambda worker chunk object bucket storage map reduce future call result retry job invocation jvm "
            + "café naïve façade señor über smörgåsbord crème jalapeño").split(" ");

    private TextCorpus() {}

    static byte[] generate(long bytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 16, bytes + 256));
        while (sb.length() < bytes) {
            int words = 4 + random.nextInt(13);
            for (int i = 0; i < words; i++) {
                if (i > 0) sb.append(random.nextInt(10) == 0 ? ", " : " ");
                // the cube of a uniform draw favours the first words of the list, as real text does
                double u = random.nextDouble();
                sb.append(VOCABULARY[(int) (u * u * u * VOCABULARY.length)]);
            }
            sb.append(random.nextInt(8) == 0 ? ".\r\n" : ".\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
