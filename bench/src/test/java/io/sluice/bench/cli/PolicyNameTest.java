package io.sluice.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PolicyNameTest {
    @Test
    void parsesLabelsInOrderWithoutDuplicates() {
        assertEquals(List.of(PolicyName.FORK_JOIN, PolicyName.STATIC), PolicyName.parseList("fork-join,STATIC,fork-join"));
        assertEquals(PolicyName.WORK_STEALING_SPECULATION, PolicyName.parse("work-stealing-speculation"));
    }

    @Test
    void rejectsUnknownAndEmptyNames() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> PolicyName.parse("lifo"));
        assertTrue(ex.getMessage().contains("'lifo'") && ex.getMessage().contains("central-queue"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PolicyName.parseList("static,"));
    }
}
