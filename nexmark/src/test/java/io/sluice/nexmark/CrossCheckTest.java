package io.sluice.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sluice.nexmark.flink.FlinkRunner;

/**
 * Every query on Sluice and on Flink over the same events gives the same rows (as multisets) and the same digest;
 * q12, whose windows are of each engine's processing time, gives the same per-bidder totals.
 */
class CrossCheckTest {
    private static final NexmarkConfig CONFIG = NexmarkConfig.defaults(30_000);
    private static final long WINDOW = NexmarkQuery.WINDOW.toMillis();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = NexmarkQuery.class, mode = EnumSource.Mode.EXCLUDE, names = "Q12")
    void sluiceAndFlinkAgreeRowForRow(final NexmarkQuery query) throws Exception {
        final RunResult sluice = new SluiceRunner(2, 7_000).run(query, CONFIG, true);
        final RunResult flink = new FlinkRunner(2, tmp.resolve("flink")).run(query, CONFIG, true);
        assertTrue(sluice.rows().size() > 0, "query " + query + " produced no rows");
        assertEquals(sorted(flink.rows()), sorted(sluice.rows()), "rows of " + query);
        assertEquals(flink.digest().rows(), sluice.digest().rows());
        assertEquals(flink.digest().sum(), sluice.digest().sum(), "digest of " + query);
        assertEquals(sluice.rows().size(), sluice.digest().rows());
    }

    /**
     * q12 windows by processing time: Sluice's is its stream clock (here the runner's manual one, 100 ms a batch,
     * so 7,000 event ids a batch put all 30,000 events in the first 10 s window), Flink's the wall clock (a window
     * boundary may fall anywhere in the run). Which window a bid lands in is therefore not comparable, but every bid
     * lands in exactly one: each bidder's total over all windows equals its number of bids, on both engines, and
     * every row is one aligned 10 s window of one bidder, listed once.
     */
    @Test
    void processingTimeWindowsCountEveryBidOnce() throws Exception {
        final RunResult sluice = new SluiceRunner(2, 7_000).run(NexmarkQuery.Q12, CONFIG, true);
        final RunResult flink = new FlinkRunner(2, tmp.resolve("flink")).run(NexmarkQuery.Q12, CONFIG, true);
        final Map<Long, Long> expected = bidsPerBidder();
        for (final RunResult run : List.of(sluice, flink)) {
            final KeyTotals totals = new KeyTotals();
            final Set<String> windows = new HashSet<>();
            for (final Object[] row : run.rows()) {
                final long start = (Long) row[0];
                assertEquals(start + WINDOW, (long) (Long) row[1], run.engine() + " window " + Arrays.toString(row));
                assertEquals(0, Math.floorMod(start, WINDOW), run.engine() + " window alignment " + Arrays.toString(row));
                assertTrue((Long) row[3] > 0, run.engine() + " empty window " + Arrays.toString(row));
                assertTrue(windows.add(start + "/" + row[2]), run.engine() + " window listed twice " + Arrays.toString(row));
                totals.add(row);
            }
            assertEquals(expected, totals.asMap(), run.engine() + " bids per bidder");
            assertEquals(totals.digest().sum(), run.digest().sum(), run.engine() + " digest of the totals");
        }
    }

    /** Bids per bidder straight from the generator. */
    private static Map<Long, Long> bidsPerBidder() {
        final Map<Long, Long> counts = new HashMap<>();
        final NexmarkGenerator generator = new NexmarkGenerator(CONFIG);
        final EventWriter bidder = new EventWriter() {
            @Override
            public void int64(final int column, final long value) {
                if (column == NexmarkSchemas.BID_BIDDER) {
                    counts.merge(value, 1L, Long::sum);
                }
            }

            @Override
            public void ascii(final int column, final byte[] bytes, final int length) {
            }
        };
        for (long index = 0; index < EventKind.BID.countBelow(CONFIG.maxEvents()); index++) {
            generator.write(EventKind.BID, EventKind.BID.eventId(index), bidder);
        }
        return counts;
    }

    private static List<String> sorted(final List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).sorted().toList();
    }
}
