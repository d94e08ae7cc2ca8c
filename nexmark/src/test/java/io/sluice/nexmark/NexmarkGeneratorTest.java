package io.sluice.nexmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class NexmarkGeneratorTest {
    private static final NexmarkConfig CONFIG = NexmarkConfig.defaults(1_000_000);

    /** Collects one event's fields by column index. */
    private static final class Capture implements EventWriter {
        Object[] row;

        @Override
        public void int64(final int column, final long value) {
            row[column] = value;
        }

        @Override
        public void ascii(final int column, final byte[] bytes, final int length) {
            row[column] = new String(bytes, 0, length, StandardCharsets.US_ASCII);
        }
    }

    static Object[] generate(final NexmarkGenerator generator, final long id) {
        final Capture capture = new Capture();
        final EventKind kind = EventKind.of(id);
        capture.row = new Object[NexmarkSchemas.of(kind).fieldCount()];
        generator.write(kind, id, capture);
        return capture.row;
    }

    @Test
    void everyFieldOfTheFirstEventsMatchesThePlainReferenceImplementation() {
        final NexmarkGenerator generator = new NexmarkGenerator(CONFIG);
        final ReferenceGenerator reference = new ReferenceGenerator(CONFIG);
        for (long id = 0; id < 20_000; id++) {
            assertArrayEquals(reference.event(id), generate(generator, id), "event id=" + id);
        }
        for (long id = 1_000_000_000L; id < 1_000_000_000L + 2_000; id++) {
            assertArrayEquals(reference.event(id), generate(generator, id), "event id=" + id);
        }
    }

    @Test
    void anEventDependsOnlyOnItsId() {
        final NexmarkGenerator forward = new NexmarkGenerator(CONFIG);
        final NexmarkGenerator random = new NexmarkGenerator(CONFIG);
        final Random order = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            final long id = order.nextInt(1_000_000);
            assertArrayEquals(generate(forward, id), generate(random, id), "event id=" + id);
        }
    }

    @Test
    void kindsFollowTheProportionsAndIndexesMapToIds() {
        assertEquals(20_000, EventKind.PERSON.countBelow(1_000_000));
        assertEquals(60_000, EventKind.AUCTION.countBelow(1_000_000));
        assertEquals(920_000, EventKind.BID.countBelow(1_000_000));
        for (final EventKind kind : EventKind.values()) {
            long count = 0;
            for (long id = 0; id < 1_000; id++) {
                assertEquals(count, kind.countBelow(id), kind + " below " + id);
                if (EventKind.of(id) == kind) {
                    assertEquals(id, kind.eventId(count), kind + " index " + count);
                    count++;
                }
            }
        }
    }

    @Test
    void eventTimesAdvanceTenMillisecondsPerEventByDefault() {
        assertEquals(10_000, CONFIG.interEventDelayUs());
        assertEquals(CONFIG.baseTime() + 10 * 123, CONFIG.timestamp(123));
    }

    @Test
    void pricesAndSizesStayInTheirRanges() {
        final NexmarkGenerator generator = new NexmarkGenerator(CONFIG);
        long extraBytes = 0;
        long bids = 0;
        for (long id = 0; id < 50_000; id++) {
            final Object[] row = generate(generator, id);
            if (EventKind.of(id) == EventKind.BID) {
                final long price = (Long) row[NexmarkSchemas.BID_PRICE];
                assertTrue(price >= 100 && price <= 100_000_000L, "price=" + price);
                extraBytes += ((String) row[NexmarkSchemas.BID_EXTRA]).length();
                bids++;
            }
        }
        final double average = 32.0 + (double) extraBytes / bids;
        assertTrue(Math.abs(average - 100) < 2, "average bid size=" + average);
    }

    @Test
    void aWrongKindIsRefused() {
        final NexmarkGenerator generator = new NexmarkGenerator(CONFIG);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> generator.write(EventKind.BID, 0, new Capture()));
        assertTrue(ex.getMessage().contains("event id=0 is a PERSON"), ex.getMessage());
    }

    @Test
    void reseededRandomMatchesJavaUtilRandom() {
        final JavaRandom mine = new JavaRandom();
        final int[] bounds = {1, 2, 3, 5, 13, 26, 100, 1 << 20, 1_000_003, Integer.MAX_VALUE};
        for (long seed = -50; seed < 200; seed++) {
            final Random theirs = new Random(seed);
            mine.reseed(seed);
            for (final int bound : bounds) {
                assertEquals(theirs.nextInt(bound), mine.nextInt(bound), "seed=" + seed + " bound=" + bound);
            }
            assertEquals(theirs.nextInt(), mine.nextInt());
            for (int pair = 0; pair < 3; pair++) {
                final long two = mine.nextTwoInts();
                assertEquals(theirs.nextInt(), (int) (two >>> 32), "seed=" + seed + " first of pair " + pair);
                assertEquals(theirs.nextInt(), (int) two, "seed=" + seed + " second of pair " + pair);
            }
            assertEquals(theirs.nextLong(), mine.nextLong());
            assertEquals(theirs.nextDouble(), mine.nextDouble());
        }
    }
}
