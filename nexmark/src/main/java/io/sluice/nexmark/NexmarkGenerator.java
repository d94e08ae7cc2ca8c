package io.sluice.nexmark;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The Nexmark event generator with Beam's deterministic semantics: event {@code n} (in order, one logical stream)
 * has event id {@code n}, its kind from the id ({@link EventKind#of}), its event time from the configured rate, and
 * every field drawn from a {@link java.util.Random} sequence seeded with the id, in Beam's order. So event {@code n}
 * is the same whatever produced the events before it, on any thread or engine.
 *
 * <p>Writes fields straight into an {@link EventWriter}; strings are built as ASCII bytes in scratch buffers, so
 * generating allocates nothing per event. One instance per thread (not thread-safe).
 */
public final class NexmarkGenerator {
    static final long FIRST_PERSON_ID = 1000;
    static final long FIRST_AUCTION_ID = 1000;
    static final long FIRST_CATEGORY_ID = 10;
    private static final int NUM_CATEGORIES = 5;
    private static final int HOT_RATIO_BUCKET = 100;
    private static final int ID_LEAD = 10;
    private static final int MIN_STRING_LENGTH = 3;

    private static final byte[][] STATES = ascii("AZ,CA,ID,OR,WA,WY");
    private static final byte[][] CITIES = ascii("Phoenix,Los Angeles,San Francisco,Boise,Portland,Bend,Redmond,Seattle,Kent,Cheyenne");
    private static final byte[][] FIRST_NAMES = ascii("Peter,Paul,Luke,John,Saul,Vicky,Kate,Julie,Sarah,Deiter,Walter");
    private static final byte[][] LAST_NAMES = ascii("Shultz,Abrams,Spencer,White,Bartels,Walton,Smith,Jones,Noris");
    private static final byte[] EMAIL_DOMAIN_END = ".com".getBytes(StandardCharsets.US_ASCII);
    private static final int LETTERS_PER_DRAW = 6;
    private static final int LETTER_PAIR_RANGE = 26 * 26;
    /**
     * For r in (-676, 676), at r + 675: the letters of r % 26 and (r / 26) % 26, as {@code nextExtra} writes them,
     * in one short (first letter in the low byte).
     */
    private static final short[] LETTER_PAIRS = new short[2 * LETTER_PAIR_RANGE - 1];

    static {
        for (int r = -(LETTER_PAIR_RANGE - 1); r < LETTER_PAIR_RANGE; r++) {
            final int first = ('a' + r % 26) & 0xFF;
            final int second = ('a' + (r / 26) % 26) & 0xFF;
            LETTER_PAIRS[r + LETTER_PAIR_RANGE - 1] = (short) (first | second << 8);
        }
    }

    /** Stores a long into a byte array, little-endian: a draw's six letters (and two bytes the next draw overwrites). */
    private static final VarHandle SIX_LETTERS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final NexmarkConfig config;
    private final JavaRandom random = new JavaRandom();
    private final byte[] scratch;

    public NexmarkGenerator(final NexmarkConfig config) {
        this.config = config;
        // The longest string is an extra: at most 1.2x an average size, rounded up; names and emails are shorter.
        final int largest = Math.max(config.avgPersonByteSize(), Math.max(config.avgAuctionByteSize(), config.avgBidByteSize()));
        this.scratch = new byte[largest * 2 + 256 + Long.BYTES];
    }

    public NexmarkConfig config() {
        return config;
    }

    /** Event time of event {@code eventNumber} (events are in order: number = id). */
    public long timestamp(final long eventNumber) {
        return config.timestamp(eventNumber);
    }

    /**
     * Writes event {@code eventId}, which must be of {@code kind}'s kind, into {@code out}. Returns its event time.
     */
    public long write(final EventKind kind, final long eventId, final EventWriter out) {
        if (EventKind.of(eventId) != kind) {
            throw new IllegalArgumentException("event id=" + eventId + " is a " + EventKind.of(eventId) + ", not a " + kind);
        }
        final long timestamp = timestamp(eventId);
        random.reseed(eventId);
        switch (kind) {
            case PERSON -> person(eventId, timestamp, out);
            case AUCTION -> auction(eventId, timestamp, out);
            default -> bid(eventId, timestamp, out);
        }
        return timestamp;
    }

    private void person(final long eventId, final long timestamp, final EventWriter out) {
        out.int64(NexmarkSchemas.PERSON_ID, lastBase0PersonId(eventId) + FIRST_PERSON_ID);
        int len = copy(FIRST_NAMES[random.nextInt(FIRST_NAMES.length)], 0);
        scratch[len++] = ' ';
        len = copy(LAST_NAMES[random.nextInt(LAST_NAMES.length)], len);
        out.ascii(NexmarkSchemas.PERSON_NAME, scratch, len);
        int size = 8 + len;
        len = nextString(7, 0);
        scratch[len++] = '@';
        len = nextString(5, len);
        len = copy(EMAIL_DOMAIN_END, len);
        out.ascii(NexmarkSchemas.PERSON_EMAIL, scratch, len);
        size += len;
        len = 0;
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                scratch[len++] = ' ';
            }
            int digits = random.nextInt(10_000);
            for (int d = 3; d >= 0; d--) {
                scratch[len + d] = (byte) ('0' + digits % 10);
                digits /= 10;
            }
            len += 4;
        }
        out.ascii(NexmarkSchemas.PERSON_CREDIT_CARD, scratch, len);
        size += len;
        final byte[] city = CITIES[random.nextInt(CITIES.length)];
        out.ascii(NexmarkSchemas.PERSON_CITY, city, city.length);
        final byte[] state = STATES[random.nextInt(STATES.length)];
        out.ascii(NexmarkSchemas.PERSON_STATE, state, state.length);
        size += city.length + state.length;
        out.int64(NexmarkSchemas.PERSON_DATE_TIME, timestamp);
        len = nextExtra(size, config.avgPersonByteSize());
        out.ascii(NexmarkSchemas.PERSON_EXTRA, scratch, len);
    }

    private void auction(final long eventId, final long timestamp, final EventWriter out) {
        out.int64(NexmarkSchemas.AUCTION_ID, lastBase0AuctionId(eventId) + FIRST_AUCTION_ID);
        final long seller = random.nextInt(config.hotSellersRatio()) > 0
            ? lastBase0PersonId(eventId) / HOT_RATIO_BUCKET * HOT_RATIO_BUCKET : nextBase0PersonId(eventId);
        out.int64(NexmarkSchemas.AUCTION_SELLER, seller + FIRST_PERSON_ID);
        out.int64(NexmarkSchemas.AUCTION_CATEGORY, FIRST_CATEGORY_ID + random.nextInt(NUM_CATEGORIES));
        final long initialBid = nextPrice();
        out.int64(NexmarkSchemas.AUCTION_INITIAL_BID, initialBid);
        out.int64(NexmarkSchemas.AUCTION_DATE_TIME, timestamp);
        out.int64(NexmarkSchemas.AUCTION_EXPIRES, timestamp + nextAuctionLengthMs(eventId, timestamp));
        int len = nextString(20, 0);
        out.ascii(NexmarkSchemas.AUCTION_ITEM_NAME, scratch, len);
        int size = 8 + len;
        len = nextString(100, 0);
        out.ascii(NexmarkSchemas.AUCTION_DESCRIPTION, scratch, len);
        size += len + 8 * 5;
        out.int64(NexmarkSchemas.AUCTION_RESERVE, initialBid + nextPrice());
        len = nextExtra(size, config.avgAuctionByteSize());
        out.ascii(NexmarkSchemas.AUCTION_EXTRA, scratch, len);
    }

    private void bid(final long eventId, final long timestamp, final EventWriter out) {
        final long auction = random.nextInt(config.hotAuctionRatio()) > 0
            ? lastBase0AuctionId(eventId) / HOT_RATIO_BUCKET * HOT_RATIO_BUCKET : nextBase0AuctionId(eventId);
        out.int64(NexmarkSchemas.BID_AUCTION, auction + FIRST_AUCTION_ID);
        final long bidder = random.nextInt(config.hotBiddersRatio()) > 0
            ? lastBase0PersonId(eventId) / HOT_RATIO_BUCKET * HOT_RATIO_BUCKET + 1 : nextBase0PersonId(eventId);
        out.int64(NexmarkSchemas.BID_BIDDER, bidder + FIRST_PERSON_ID);
        out.int64(NexmarkSchemas.BID_PRICE, nextPrice());
        out.int64(NexmarkSchemas.BID_DATE_TIME, timestamp);
        final int len = nextExtra(8 + 8 + 8 + 8, config.avgBidByteSize());
        out.ascii(NexmarkSchemas.BID_EXTRA, scratch, len);
    }

    /** The newest person id (base 0) as of {@code eventId}: the id being generated if it is a person. */
    static long lastBase0PersonId(final long eventId) {
        final long epoch = eventId / EventKind.PROPORTION_DENOMINATOR;
        long offset = eventId % EventKind.PROPORTION_DENOMINATOR;
        if (offset >= EventKind.PERSON_PROPORTION) {
            offset = EventKind.PERSON_PROPORTION - 1;
        }
        return epoch * EventKind.PERSON_PROPORTION + offset;
    }

    /** The newest auction id (base 0) as of {@code eventId}: the id being generated if it is an auction. */
    static long lastBase0AuctionId(final long eventId) {
        long epoch = eventId / EventKind.PROPORTION_DENOMINATOR;
        long offset = eventId % EventKind.PROPORTION_DENOMINATOR;
        if (offset < EventKind.PERSON_PROPORTION) {
            epoch--;
            offset = EventKind.AUCTION_PROPORTION - 1;
        } else if (offset >= EventKind.PERSON_PROPORTION + EventKind.AUCTION_PROPORTION) {
            offset = EventKind.AUCTION_PROPORTION - 1;
        } else {
            offset -= EventKind.PERSON_PROPORTION;
        }
        return epoch * EventKind.AUCTION_PROPORTION + offset;
    }

    private long nextBase0PersonId(final long eventId) {
        final long numPeople = lastBase0PersonId(eventId) + 1;
        final long active = Math.min(numPeople, config.numActivePeople());
        return numPeople - active + nextLong(active + ID_LEAD);
    }

    private long nextBase0AuctionId(final long eventId) {
        final long last = lastBase0AuctionId(eventId);
        final long min = Math.max(last - config.numInFlightAuctions(), 0);
        return min + nextLong(last - min + 1 + ID_LEAD);
    }

    private long nextAuctionLengthMs(final long eventNumber, final long timestamp) {
        final long eventsForAuctions = (long) config.numInFlightAuctions() * EventKind.PROPORTION_DENOMINATOR
            / EventKind.AUCTION_PROPORTION;
        final long horizonMs = timestamp(eventNumber + eventsForAuctions) - timestamp;
        return 1L + nextLong(Math.max(horizonMs * 2, 1L));
    }

    /** Beam's bounded long: uniform below Integer.MAX_VALUE, its skewed modulo above. */
    private long nextLong(final long n) {
        if (n < Integer.MAX_VALUE) {
            return random.nextInt((int) n);
        }
        return Math.abs(random.nextLong() % n);
    }

    /** Log-uniform price in cents, 100 .. 10^8. */
    private long nextPrice() {
        return Math.round(Math.pow(10.0, random.nextDouble() * 6.0) * 100.0);
    }

    /** Appends a random string of up to {@code maxLength} letters and spaces at {@code at}, trimmed; returns the end. */
    private int nextString(final int maxLength, final int at) {
        int len = MIN_STRING_LENGTH + random.nextInt(maxLength - MIN_STRING_LENGTH);
        final int start = at;
        int end = at;
        while (len-- > 0) {
            scratch[end++] = random.nextInt(13) == 0 ? (byte) ' ' : (byte) ('a' + random.nextInt(26));
        }
        // String.trim(): drop leading and trailing spaces.
        int from = start;
        while (from < end && scratch[from] == ' ') {
            from++;
        }
        while (end > from && scratch[end - 1] == ' ') {
            end--;
        }
        if (from > start) {
            System.arraycopy(scratch, from, scratch, start, end - from);
        }
        return start + end - from;
    }

    /** Writes padding into the scratch buffer so that {@code currentSize} plus it averages {@code averageSize}. */
    private int nextExtra(final int currentSize, final int averageSize) {
        if (currentSize > averageSize) {
            return 0;
        }
        final int desired = averageSize - currentSize;
        final int delta = (int) Math.round(desired * 0.2);
        final int length = desired - delta + (delta == 0 ? 0 : random.nextInt(2 * delta));
        // Beam draws one int per six letters, letter j being (rnd / 26^j) % 26 (Java's signed division and remainder,
        // so a negative draw gives bytes below 'a'). Two letters at a time come from a table of x % 676, and a draw's
        // three pairs from rnd % 676, (rnd / 676) % 676 and rnd / 676^2, each computed from rnd (truncated division
        // composes) so that the three do not wait on each other; the six letters go out in one 8-byte store, whose
        // last two bytes the next draw overwrites. The scratch buffer has room for the overhang past the longest
        // extra, and only length bytes of it are read.
        // Draws go two at a time (JavaRandom.nextTwoInts: the same sequence, the two seeds computed independently).
        int i = 0;
        for (; i + LETTERS_PER_DRAW < length; i += 2 * LETTERS_PER_DRAW) {
            final long two = random.nextTwoInts();
            SIX_LETTERS.set(scratch, i, sixLetters((int) (two >>> 32)));
            SIX_LETTERS.set(scratch, i + LETTERS_PER_DRAW, sixLetters((int) two));
        }
        if (i < length) {
            SIX_LETTERS.set(scratch, i, sixLetters(random.nextInt()));
        }
        return length;
    }

    /** A draw's six letters in the low six bytes of a long, first letter lowest. */
    private static long sixLetters(final int rnd) {
        final int q1 = rnd / LETTER_PAIR_RANGE;
        final int q2 = rnd / (LETTER_PAIR_RANGE * LETTER_PAIR_RANGE);
        final long p0 = LETTER_PAIRS[rnd - q1 * LETTER_PAIR_RANGE + LETTER_PAIR_RANGE - 1] & 0xFFFFL;
        final long p1 = LETTER_PAIRS[q1 - q2 * LETTER_PAIR_RANGE + LETTER_PAIR_RANGE - 1] & 0xFFFFL;
        final long p2 = LETTER_PAIRS[q2 % LETTER_PAIR_RANGE + LETTER_PAIR_RANGE - 1] & 0xFFFFL;
        return p0 | p1 << 16 | p2 << 32;
    }

    private int copy(final byte[] from, final int at) {
        System.arraycopy(from, 0, scratch, at, from.length);
        return at + from.length;
    }

    private static byte[][] ascii(final String commaSeparated) {
        final String[] parts = commaSeparated.split(",");
        final byte[][] bytes = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = parts[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
