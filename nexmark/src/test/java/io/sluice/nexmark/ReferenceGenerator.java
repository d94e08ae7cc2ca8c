package io.sluice.nexmark;

import java.util.Random;

/**
 * A second, plain implementation of the Nexmark generator written from the specification with
 * {@link java.util.Random} and {@link String}s (Beam's style), against which the allocation-free generator is
 * checked field by field. Rows are in the column order of {@link NexmarkSchemas}.
 */
final class ReferenceGenerator {
    private static final String[] STATES = "AZ,CA,ID,OR,WA,WY".split(",");
    private static final String[] CITIES = "Phoenix,Los Angeles,San Francisco,Boise,Portland,Bend,Redmond,Seattle,Kent,Cheyenne"
        .split(",");
    private static final String[] FIRST = "Peter,Paul,Luke,John,Saul,Vicky,Kate,Julie,Sarah,Deiter,Walter".split(",");
    private static final String[] LAST = "Shultz,Abrams,Spencer,White,Bartels,Walton,Smith,Jones,Noris".split(",");

    private final NexmarkConfig config;

    ReferenceGenerator(final NexmarkConfig config) {
        this.config = config;
    }

    Object[] event(final long id) {
        final Random random = new Random(id);
        final long ts = config.baseTime() + id * config.interEventDelayUs() / 1000;
        final long rem = id % 50;
        if (rem < 1) {
            final String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
            final String email = string(random, 7) + "@" + string(random, 5) + ".com";
            final StringBuilder card = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                card.append(i > 0 ? " " : "").append(String.format("%04d", random.nextInt(10000)));
            }
            final String city = CITIES[random.nextInt(CITIES.length)];
            final String state = STATES[random.nextInt(STATES.length)];
            final int size = 8 + name.length() + email.length() + card.length() + city.length() + state.length();
            return new Object[] {lastPerson(id) + 1000, name, email, card.toString(), city, state, ts,
                extra(random, size, config.avgPersonByteSize())};
        }
        if (rem < 4) {
            final long seller = random.nextInt(config.hotSellersRatio()) > 0 ? lastPerson(id) / 100 * 100 : nextPerson(id, random);
            final long category = 10 + random.nextInt(5);
            final long initialBid = price(random);
            final long horizon = config.baseTime() + (id + 100L * 50 / 3) * config.interEventDelayUs() / 1000 - ts;
            final long expires = ts + 1 + bounded(random, Math.max(horizon * 2, 1));
            final String name = string(random, 20);
            final String desc = string(random, 100);
            final long reserve = initialBid + price(random);
            final String extra = extra(random, 8 + name.length() + desc.length() + 40, config.avgAuctionByteSize());
            return new Object[] {lastAuction(id) + 1000, name, desc, initialBid, reserve, ts, expires, seller + 1000, category,
                extra};
        }
        final long auction = random.nextInt(config.hotAuctionRatio()) > 0 ? lastAuction(id) / 100 * 100 : nextAuction(id, random);
        final long bidder = random.nextInt(config.hotBiddersRatio()) > 0 ? lastPerson(id) / 100 * 100 + 1 : nextPerson(id, random);
        final long price = price(random);
        return new Object[] {auction + 1000, bidder + 1000, price, ts, extra(random, 32, config.avgBidByteSize())};
    }

    private static long lastPerson(final long id) {
        return id / 50 + Math.min(id % 50, 0);
    }

    private static long lastAuction(final long id) {
        final long epoch = id / 50;
        final long off = id % 50;
        if (off < 1) {
            return (epoch - 1) * 3 + 2;
        }
        return epoch * 3 + (off >= 4 ? 2 : off - 1);
    }

    private long nextPerson(final long id, final Random random) {
        final long people = lastPerson(id) + 1;
        final long active = Math.min(people, config.numActivePeople());
        return people - active + bounded(random, active + 10);
    }

    private long nextAuction(final long id, final Random random) {
        final long last = lastAuction(id);
        final long min = Math.max(last - config.numInFlightAuctions(), 0);
        return min + bounded(random, last - min + 1 + 10);
    }

    private static long bounded(final Random random, final long n) {
        return n < Integer.MAX_VALUE ? random.nextInt((int) n) : Math.abs(random.nextLong() % n);
    }

    private static long price(final Random random) {
        return Math.round(Math.pow(10.0, random.nextDouble() * 6.0) * 100.0);
    }

    private static String string(final Random random, final int max) {
        int len = 3 + random.nextInt(max - 3);
        final StringBuilder sb = new StringBuilder();
        while (len-- > 0) {
            sb.append(random.nextInt(13) == 0 ? ' ' : (char) ('a' + random.nextInt(26)));
        }
        return sb.toString().trim();
    }

    private static String extra(final Random random, final int current, final int average) {
        if (current > average) {
            return "";
        }
        final int desired = average - current;
        final int delta = (int) Math.round(desired * 0.2);
        int length = desired - delta + (delta == 0 ? 0 : random.nextInt(2 * delta));
        final StringBuilder sb = new StringBuilder();
        int rnd = 0;
        int n = 0;
        while (length-- > 0) {
            if (n == 0) {
                rnd = random.nextInt();
                n = 6;
            }
            sb.append((char) ('a' + rnd % 26));
            rnd /= 26;
            n--;
        }
        return sb.toString();
    }
}
