package io.sluice.nexmark.flink;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import io.sluice.nexmark.EventKind;
import io.sluice.nexmark.NexmarkConfig;
import io.sluice.nexmark.NexmarkGenerator;

/**
 * The {@code index}-th event of one kind, from the same generator Sluice's source uses, for Flink's
 * {@code DataGeneratorSource}: each parallel reader opens its own generator.
 */
public final class EventFunction<T> implements GeneratorFunction<Long, T> {
    private static final long serialVersionUID = 1L;

    private final NexmarkConfig config;
    private final EventKind kind;
    private transient NexmarkGenerator generator;
    private transient PojoWriter writer;

    private EventFunction(final NexmarkConfig config, final EventKind kind) {
        this.config = config;
        this.kind = kind;
    }

    public static EventFunction<Bid> bids(final NexmarkConfig config) {
        return new EventFunction<>(config, EventKind.BID);
    }

    public static EventFunction<Auction> auctions(final NexmarkConfig config) {
        return new EventFunction<>(config, EventKind.AUCTION);
    }

    public static EventFunction<Person> persons(final NexmarkConfig config) {
        return new EventFunction<>(config, EventKind.PERSON);
    }

    /** How many events of this kind the configuration's stream holds. */
    public long count() {
        return kind.countBelow(config.maxEvents());
    }

    @Override
    public void open(final SourceReaderContext readerContext) {
        generator = new NexmarkGenerator(config);
        writer = new PojoWriter();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T map(final Long index) {
        writer.bid = null;
        writer.auction = null;
        writer.person = null;
        final Object event;
        switch (kind) {
            case BID -> event = writer.bid = new Bid();
            case AUCTION -> event = writer.auction = new Auction();
            default -> event = writer.person = new Person();
        }
        generator.write(kind, kind.eventId(index), writer);
        return (T) event;
    }
}
