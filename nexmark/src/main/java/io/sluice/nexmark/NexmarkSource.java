package io.sluice.nexmark;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.sluice.engine.stream.source.ReplayableSource;
import io.sluice.engine.stream.source.SourceContext;
import io.sluice.memory.Batch;
import io.sluice.memory.Schema;

/**
 * One kind of Nexmark event (persons, auctions or bids) as a Sluice pull source. Each poll walks the next
 * {@code eventsPerPoll} event ids (within the stream's record allowance) and stores the events of this kind as one
 * columnar block, written straight off-heap. Three sources of one configuration, one per kind, together give the
 * whole event stream, each at the same event index after the same number of polls.
 *
 * <p>Replayable: the offset is the next event id, and an event's fields depend only on its id, so a restarted
 * stream produces the same events after the logged offset. Finite: {@link #exhausted()} once every event id below
 * {@link NexmarkConfig#maxEvents()} was walked.
 */
public final class NexmarkSource implements ReplayableSource {
    /** Keeps one block well below the int row limit of a batch. */
    public static final long MAX_EVENTS_PER_POLL = 100_000_000L;

    private final String name;
    private final EventKind kind;
    private final NexmarkGenerator generator;
    private final long eventsPerPoll;
    private final long maxEvents;
    private volatile long nextEventId;
    private volatile boolean stopped;

    public NexmarkSource(final String name, final EventKind kind, final NexmarkConfig config, final long eventsPerPoll) {
        if (eventsPerPoll <= 0 || eventsPerPoll > MAX_EVENTS_PER_POLL) {
            throw new IllegalArgumentException("eventsPerPoll=" + eventsPerPoll + " out of range [1, " + MAX_EVENTS_PER_POLL + "]");
        }
        this.name = name;
        this.kind = kind;
        this.generator = new NexmarkGenerator(config);
        this.eventsPerPoll = eventsPerPoll;
        this.maxEvents = config.maxEvents();
    }

    /** One source per event kind {@code query} reads, named after the kind, each walking {@code eventsPerPoll} ids a poll. */
    public static Map<EventKind, NexmarkSource> forQuery(final NexmarkQuery query, final NexmarkConfig config,
                                                        final long eventsPerPoll) {
        final Map<EventKind, NexmarkSource> sources = new EnumMap<>(EventKind.class);
        for (final EventKind kind : query.inputs()) {
            sources.put(kind, new NexmarkSource(kind.name().toLowerCase(Locale.ROOT), kind, config, eventsPerPoll));
        }
        return sources;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Schema schema() {
        return NexmarkSchemas.of(kind);
    }

    public EventKind kind() {
        return kind;
    }

    @Override
    public void start(final SourceContext context) {
    }

    @Override
    public void poll(final SourceContext context, final long nowNanos) {
        if (stopped || nextEventId >= maxEvents) {
            return;
        }
        final long allowance = context.recordAllowance();
        if (allowance <= 0) {
            return;
        }
        final long end = Math.min(maxEvents, nextEventId + eventsPerPoll);
        // This kind's events with ids in [nextEventId, end), at most the allowance of them.
        final long first = kind.countBelow(nextEventId);
        final long last = Math.min(kind.countBelow(end), first + allowance);
        final long walkedTo = last < kind.countBelow(end) ? kind.eventId(last) : end;
        final Batch block;
        try (ColumnarEventWriter writer = new ColumnarEventWriter(context.allocator(), schema(), (int) Math.max(1, last - first))) {
            for (long index = first; index < last; index++) {
                generator.write(kind, kind.eventId(index), writer);
                writer.endRow();
            }
            block = writer.build();
        }
        if (block.rowCount() == 0 || context.tryStore(block)) {
            if (block.rowCount() == 0) {
                block.release();
            }
            nextEventId = walkedTo;
        } else {
            block.release();
        }
    }

    /** Whether every event id was walked. */
    public boolean exhausted() {
        return nextEventId >= maxEvents;
    }

    @Override
    public String offset() {
        return Long.toString(nextEventId);
    }

    @Override
    public void seek(final String offset) {
        final long id;
        try {
            id = Long.parseLong(offset);
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("source '" + name + "': offset='" + offset + "' is not an event id", ex);
        }
        if (id < 0 || id > maxEvents) {
            throw new IllegalArgumentException("source '" + name + "': offset=" + id + " out of range [0, " + maxEvents + "]");
        }
        nextEventId = id;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public long rejectedRecords() {
        return 0;
    }

    @Override
    public long pendingRecords() {
        return maxEvents - nextEventId;
    }
}
