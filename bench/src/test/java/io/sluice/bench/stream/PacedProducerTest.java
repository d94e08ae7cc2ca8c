package io.sluice.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.sluice.engine.stream.source.QueueSource;
import org.junit.jupiter.api.Test;

class PacedProducerTest {
    @Test
    void sendsOnlyWholeUnitsWhoseRecordsAreAllDue() {
        assertEquals(0, PacedProducer.unitsToSend(99, 0, 100));
        assertEquals(1, PacedProducer.unitsToSend(100, 0, 100));
        assertEquals(2, PacedProducer.unitsToSend(250, 0, 100));
        assertEquals(0, PacedProducer.unitsToSend(250, 2, 100));
        assertEquals(0, PacedProducer.unitsToSend(250, 5, 100));
        assertEquals(7, PacedProducer.unitsToSend(7, 0, 1));
    }

    /** Accepts every other unit; records the sequence numbers it saw. */
    private static final class AlternatingEmitter implements Emitter {
        final List<Long> seen = new ArrayList<>();

        @Override
        public int unit() {
            return 4;
        }

        @Override
        public QueueSource.Offer emit(final long sequence) {
            synchronized (seen) {
                seen.add(sequence);
            }
            return sequence % 2 == 0 ? QueueSource.Offer.ACCEPTED : QueueSource.Offer.BACK_PRESSURED;
        }
    }

    @Test
    void countsAcceptedAndDroppedRecordsAndEmitsConsecutiveUnits() throws Exception {
        final AlternatingEmitter emitter = new AlternatingEmitter();
        final PacedProducer producer = PacedProducer.start(1_000_000, emitter, "test-producer");
        while (producer.accepted() + producer.dropped() < 4_000) {
            Thread.sleep(1);
        }
        producer.close();
        final List<Long> seen;
        synchronized (emitter.seen) {
            seen = List.copyOf(emitter.seen);
        }
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i));
        }
        final long even = (seen.size() + 1) / 2;
        assertEquals(even * 4, producer.accepted());
        assertEquals((seen.size() - even) * 4, producer.dropped());
        assertTrue(producer.target() >= producer.accepted() + producer.dropped(), "never ahead of the schedule");
    }

    @Test
    void closeEndsTheThreadAndIsIdempotent() {
        final PacedProducer producer = PacedProducer.start(10, new AlternatingEmitter(), "test-producer-close");
        producer.close();
        producer.close();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("test-producer-close") && t.isAlive()));
    }

    @Test
    void stopsWhenTheSourceIsClosed() {
        final Emitter closed = new Emitter() {
            @Override
            public int unit() {
                return 1;
            }

            @Override
            public QueueSource.Offer emit(final long sequence) {
                return QueueSource.Offer.CLOSED;
            }
        };
        try (PacedProducer producer = PacedProducer.start(1_000_000, closed, "test-producer-closed")) {
            assertEquals(0, producer.accepted());
        }
    }

    @Test
    void rejectsAnEmitterWithoutRecords() {
        final Emitter empty = new Emitter() {
            @Override
            public int unit() {
                return 0;
            }

            @Override
            public QueueSource.Offer emit(final long sequence) {
                return QueueSource.Offer.ACCEPTED;
            }
        };
        assertThrows(IllegalArgumentException.class, () -> PacedProducer.start(10, empty, "never"));
    }
}
