package io.sluice.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sluice.bench.Baseline;

class BaselineRuleTest {
    static class AnnotatedMethod {
        @Baseline
        public void arrayScan() {
        }

        public void vectorScan() {
        }
    }

    @Baseline(param = "policy", value = "static")
    static class AnnotatedClass {
        public void makespan() {
        }
    }

    static class NamedByConvention {
        public void baselineCopy() {
        }

        public void fastCopy() {
        }
    }

    static class NoBaseline {
        public void only() {
        }
    }

    static class TwoFamilies {
        @Baseline
        public void sumArray() {
        }

        public void sumVector() {
        }

        @Baseline
        public void filterSumArray() {
        }

        public void filterSumVector() {
        }
    }

    @Test
    void readsTheAnnotationOrTheNamingConvention() {
        assertEquals("method `arrayScan`", BaselineRule.of(AnnotatedMethod.class).describe());
        assertEquals("`policy=static`", BaselineRule.of(AnnotatedClass.class).describe());
        assertEquals("method `baselineCopy`", BaselineRule.of(NamedByConvention.class).describe());
        assertFalse(BaselineRule.of(NoBaseline.class).isPresent());
        assertFalse(BaselineRule.of("io.sluice.bench.NoSuchClass").isPresent());
        assertEquals("method `arrayScan`", BaselineRule.of("io.sluice.bench.report.BaselineRuleTest.AnnotatedMethod").describe(),
            "JMH's dotted name of a nested class");
    }

    private static BenchRow row(final String method, final double score) {
        return new BenchRow("io.sluice.bench.report.BaselineRuleTest.TwoFamilies", method, "thrpt", Map.of(), score, 0.0, "ops/s");
    }

    @Test
    void eachResultIsComparedWithTheBaselineMethodSharingTheLongestNamePrefix() {
        final BaselineRule rule = BaselineRule.of(TwoFamilies.class);
        final List<BenchRow> rows = List.of(row("sumArray", 10), row("sumVector", 12), row("filterSumArray", 4),
            row("filterSumVector", 5));
        assertEquals("sumArray", rule.baselineOf(rows.get(1), rows).orElseThrow().method());
        assertEquals("filterSumArray", rule.baselineOf(rows.get(3), rows).orElseThrow().method());
        assertEquals("sumArray", rule.baselineOf(rows.get(0), rows).orElseThrow().method(), "a baseline is its own baseline");
        assertThrows(IllegalArgumentException.class, () -> BaselineRule.methods(List.of()));
    }
}
