package io.sluice.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    static class TwoBaselines {
        @Baseline
        public void a() {
        }

        @Baseline
        public void b() {
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

    @Test
    void twoBaselineMethodsAreAnError() {
        assertThrows(IllegalArgumentException.class, () -> BaselineRule.of(TwoBaselines.class));
    }
}
