package io.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.engine.sched.SchedulingPolicy;

class ContenderTest {
    @Test
    void parsesLabelsInOrderWithoutDuplicates() {
        assertEquals(List.of(Contender.FORK_JOIN, Contender.STATIC), Contender.parseList("fork-join,STATIC,fork-join"));
        assertEquals(Contender.WORK_STEALING_SPECULATION, Contender.parse("work-stealing-speculation"));
    }

    @Test
    void sluiceContendersNameTheirEnginePolicyAndForkJoinHasNone() {
        assertEquals(SchedulingPolicy.WORK_STEALING, Contender.WORK_STEALING_SPECULATION.sluicePolicy());
        assertTrue(Contender.WORK_STEALING_SPECULATION.speculation());
        assertFalse(Contender.WORK_STEALING.speculation());
        assertEquals(SchedulingPolicy.STATIC, Contender.STATIC.sluicePolicy());
        assertFalse(Contender.FORK_JOIN.isSluice());
        assertThrows(IllegalArgumentException.class, Contender.FORK_JOIN::sluicePolicy);
    }

    @Test
    void rejectsUnknownAndEmptyNames() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Contender.parse("lifo"));
        assertTrue(ex.getMessage().contains("'lifo'") && ex.getMessage().contains("central-queue"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Contender.parseList("static,"));
    }
}
