package io.sluice.bench.dataset;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import io.sluice.bench.ZipfDistribution;

/**
 * Seeded generator of fixed-size ASCII text records for the word-count and grep benchmarks. Words follow Zipf's
 * law (exponent 1.0, as in English prose) over a vocabulary whose top ranks are the most frequent English words
 * and whose tail is pronounceable pseudo-words of 2 to 12 letters; words are separated by one space and a record
 * is cut at the last whole word that fits, then padded with spaces to exactly {@link #RECORD_BYTES} bytes.
 * Immutable and thread-safe; the same seed gives the same records on every JVM.
 */
public final class TextRecords {
    /** Bytes per record. */
    public static final int RECORD_BYTES = 100;
    /** Distinct words in the vocabulary. */
    public static final int VOCABULARY = 20_000;

    private static final String[] COMMON = {
        "the", "of", "and", "to", "a", "in", "is", "that", "it", "was", "for", "on", "are", "as", "with", "his", "they",
        "at", "be", "this", "from", "have", "or", "by", "one", "had", "not", "but", "what", "all", "were", "when", "we",
        "there", "can", "an", "your", "which", "their", "said", "if", "do", "will", "each", "about", "how", "up", "out",
        "them", "then", "she", "many", "some", "so", "these", "would", "other", "into", "has", "more", "her", "two",
        "like", "him", "see", "time", "could", "no", "make", "than", "first", "been", "its", "who", "now", "people",
        "my", "made", "over", "did", "down", "only", "way", "find", "use", "may", "water", "long", "little", "very",
        "after", "words", "called", "just", "where", "most", "know", "stream", "river", "sluice",
    };
    private static final String[] ONSETS = {"b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t",
        "v", "w", "st", "tr", "pl", "gr", "ch", "sh", "th", "br", "cl"};
    private static final String[] NUCLEI = {"a", "e", "i", "o", "u", "ea", "ou", "ai", "ie", "oo"};
    private static final String[] CODAS = {"", "", "n", "r", "s", "t", "l", "nd", "ng", "st", "rk", "ck"};

    private final String[] vocabulary;
    private final ZipfDistribution zipf = new ZipfDistribution(VOCABULARY, 1.0);
    private final long seed;

    /** Records drawn with {@code seed}; the vocabulary itself is fixed. */
    public TextRecords(final long seed) {
        this.seed = seed;
        this.vocabulary = vocabulary();
    }

    private static String[] vocabulary() {
        final List<String> words = new ArrayList<>(Arrays.asList(COMMON));
        final Set<String> seen = new HashSet<>(words);
        final SplittableRandom random = new SplittableRandom(0x5EEDL);
        while (words.size() < VOCABULARY) {
            final StringBuilder word = new StringBuilder();
            final int syllables = 1 + random.nextInt(3);
            for (int s = 0; s < syllables; s++) {
                word.append(ONSETS[random.nextInt(ONSETS.length)]).append(NUCLEI[random.nextInt(NUCLEI.length)])
                    .append(CODAS[random.nextInt(CODAS.length)]);
            }
            final String w = word.length() > 12 ? word.substring(0, 12) : word.toString();
            if (seen.add(w)) {
                words.add(w);
            }
        }
        return words.toArray(new String[0]);
    }

    /** The word of Zipf rank {@code rank} (1 = most frequent). */
    public String word(final int rank) {
        return vocabulary[rank - 1];
    }

    /** Records {@code [from, from + count)} of this seed's sequence, as strings of {@link #RECORD_BYTES} bytes. */
    public String[] records(final long from, final int count) {
        final String[] out = new String[count];
        final byte[] line = new byte[RECORD_BYTES];
        for (int i = 0; i < count; i++) {
            // One stream per record, so any record range is reproducible on its own (a lost partition regenerates).
            final SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + from + i);
            int used = 0;
            while (true) {
                final String word = vocabulary[zipf.sample(random) - 1];
                final int need = (used == 0 ? 0 : 1) + word.length();
                if (used + need > RECORD_BYTES) {
                    break;
                }
                if (used > 0) {
                    line[used++] = ' ';
                }
                for (int c = 0; c < word.length(); c++) {
                    line[used++] = (byte) word.charAt(c);
                }
            }
            Arrays.fill(line, used, RECORD_BYTES, (byte) ' ');
            out[i] = new String(line, StandardCharsets.US_ASCII);
        }
        return out;
    }
}
