package io.sluice.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.bench.Contender;

class ComparisonTableTest {
    private static RunRecord run(final Contender policy, final int repetition, final long makespan) {
        return new RunRecord(policy, repetition, makespan, new long[] {makespan, makespan / 2}, repetition, 0, 0, 10, 10);
    }

    @Test
    void medianSpreadAndRatiosPerPolicyInFirstSeenOrder() {
        final List<RunRecord> runs = List.of(
            run(Contender.WORK_STEALING, 1, 120), run(Contender.STATIC, 1, 400), run(Contender.WORK_STEALING, 2, 100),
            run(Contender.STATIC, 2, 300), run(Contender.STATIC, 3, 500), run(Contender.WORK_STEALING, 3, 110),
            run(Contender.WORK_STEALING, 4, 180));
        final ComparisonTable table = ComparisonTable.of(runs, 100);
        assertEquals(List.of(Contender.WORK_STEALING, Contender.STATIC),
            table.rows().stream().map(ComparisonTable.Row::policy).toList());
        final ComparisonTable.Row ws = table.row(Contender.WORK_STEALING);
        assertEquals(4, ws.runs());
        assertEquals(115, ws.medianNanos(), 1e-9);          // even count: mean of 110 and 120
        assertEquals(100, ws.minNanos());
        assertEquals(180, ws.maxNanos());
        assertEquals(1.15, ws.ratioToBound(), 1e-9);
        assertEquals(115 / 400.0, ws.ratioToStatic(), 1e-9);
        assertEquals(2.5, ws.medianSteals(), 1e-9);
        final ComparisonTable.Row st = table.row(Contender.STATIC);
        assertEquals(400, st.medianNanos(), 1e-9);
        assertEquals(1.0, st.ratioToStatic(), 1e-9);
        assertEquals(4.0, st.ratioToBound(), 1e-9);
    }

    @Test
    void ratioToStaticIsNotAvailableWithoutStaticRuns() {
        final ComparisonTable table = ComparisonTable.of(List.of(run(Contender.CENTRAL_QUEUE, 1, 200)), 100);
        assertTrue(Double.isNaN(table.row(Contender.CENTRAL_QUEUE).ratioToStatic()));
        assertTrue(table.toMarkdown().contains("n/a"), table.toMarkdown());
    }

    @Test
    void markdownShowsMillisecondsPerPolicy() {
        final ComparisonTable table = ComparisonTable.of(List.of(run(Contender.STATIC, 1, 250_000_000)), 125_000_000);
        final String md = table.toMarkdown();
        assertTrue(md.contains("| static "), md);
        assertTrue(md.contains("250.0"), md);
        assertTrue(md.contains("2.00"), md);
    }

    @Test
    void rejectsANonPositiveBoundAndAMissingPolicy() {
        assertThrows(IllegalArgumentException.class, () -> ComparisonTable.of(List.of(run(Contender.STATIC, 1, 1)), 0));
        final ComparisonTable table = ComparisonTable.of(List.of(run(Contender.STATIC, 1, 1)), 1);
        assertThrows(IllegalArgumentException.class, () -> table.row(Contender.FORK_JOIN));
    }
}
