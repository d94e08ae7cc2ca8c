package io.sluice.bench.stream;

import static io.sluice.engine.dataset.Expr.col;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.sluice.engine.dataset.Agg;
import io.sluice.engine.dataset.Dataset;
import io.sluice.engine.dataset.Expr;

/** The streaming text jobs of the throughput and straggler benchmarks, and their plain-Java equivalents. */
public enum TextJob {
    /** Lines to words (split on spaces), groupBy(word).count(), collected to the driver. */
    WORDCOUNT("wordcount"),
    /** Lines holding the needle, counted. */
    GREP("grep");

    private static final Pattern SPACE = Pattern.compile(" ");

    private final String label;

    TextJob(final String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * Runs the job on {@code lines} (column {@code line}) and returns a checksum of its answer: the grep count, or
     * the total of the word counts (so the work cannot be skipped, and a test can compare with plain Java).
     */
    public long run(final Dataset lines, final String needle) {
        switch (this) {
            case WORDCOUNT:
                long total = 0;
                for (final Object[] row : wordCounts(lines)) {
                    total += (Long) row[1];
                }
                return total;
            case GREP:
                return lines.filter(col("line").contains(needle)).count();
            default:
                throw new IllegalStateException("unknown job=" + this);
        }
    }

    /** Word count rows {@code (word, count)} of {@code lines}. */
    static List<Object[]> wordCounts(final Dataset lines) {
        return lines.flatMap(Expr.split(col("line"), " "), "word").groupBy("word").agg(Agg.count()).collect();
    }

    /** The same answer as {@link #run} from plain Java on one thread. */
    public long runJava(final String[] lines, final String needle) {
        switch (this) {
            case WORDCOUNT:
                final Map<String, Long> counts = new HashMap<>();
                for (final String line : lines) {
                    int start = -1;
                    for (int i = 0; i <= line.length(); i++) {
                        if (i == line.length() || line.charAt(i) == ' ') {
                            if (start >= 0) {
                                counts.merge(line.substring(start, i), 1L, Long::sum);
                                start = -1;
                            }
                        } else if (start < 0) {
                            start = i;
                        }
                    }
                }
                long total = 0;
                for (final long c : counts.values()) {
                    total += c;
                }
                return total;
            case GREP:
                long matches = 0;
                for (final String line : lines) {
                    if (line.contains(needle)) {
                        matches++;
                    }
                }
                return matches;
            default:
                throw new IllegalStateException("unknown job=" + this);
        }
    }

    /** The same answer as {@link #run} from a plain-Java {@code parallelStream} on the common pool. */
    public long runParallelStream(final String[] lines, final String needle) {
        switch (this) {
            case WORDCOUNT:
                final ConcurrentMap<String, Long> counts = Arrays.stream(lines).parallel()
                    .flatMap(SPACE::splitAsStream)
                    .filter(w -> !w.isEmpty())
                    .collect(Collectors.groupingByConcurrent(Function.identity(), Collectors.counting()));
                return counts.values().stream().mapToLong(Long::longValue).sum();
            case GREP:
                return Arrays.stream(lines).parallel().filter(line -> line.contains(needle)).count();
            default:
                throw new IllegalStateException("unknown job=" + this);
        }
    }
}
