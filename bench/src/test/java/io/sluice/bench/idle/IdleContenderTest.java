package io.sluice.bench.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

import io.sluice.engine.sched.IdlePolicy;

class IdleContenderTest {
    @Test
    void parsesPresetsAgronaAndCustomSpecs() {
        assertSame(IdlePolicy.park(), IdleContender.parse("park").policy());
        assertSame(IdlePolicy.busySpin(), IdleContender.parse(" busySpin ").policy());
        final IdleContender agrona = IdleContender.parse("agrona");
        assertNull(agrona.policy());
        assertInstanceOf(BackoffIdleStrategy.class, agrona.config("t", 1).idleStrategy().get());
        final IdleContender custom = IdleContender.parse("100/0/50000/10000000");
        assertEquals(IdlePolicy.of(100, 0, 50_000, 10_000_000), custom.policy());
        assertEquals("100/0/50us..10ms", custom.label());
        assertSame(custom.policy(), custom.config("t", 2).idlePolicy());
    }

    @Test
    void rejectsBadSpecsNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IdleContender.parse("1/2/3"))
            .getMessage().contains("'1/2/3'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IdleContender.parse("1/2/x/4"))
            .getMessage().contains("'x' is not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IdleContender.parse("1/2/0/4"))
            .getMessage().contains("minParkNanos=0"));
    }
}
