package io.sluice.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sluice.nexmark.flink.FlinkRunner;

/** Every query on Sluice and on Flink over the same events gives the same rows (as multisets) and the same digest. */
class CrossCheckTest {
    private static final NexmarkConfig CONFIG = NexmarkConfig.defaults(30_000);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(NexmarkQuery.class)
    void sluiceAndFlinkAgreeRowForRow(final NexmarkQuery query) throws Exception {
        final RunResult sluice = new SluiceRunner(2, 7_000).run(query, CONFIG, true);
        final RunResult flink = new FlinkRunner(2, tmp.resolve("flink")).run(query, CONFIG, true);
        assertTrue(sluice.rows().size() > 0, "query " + query + " produced no rows");
        assertEquals(sorted(flink.rows()), sorted(sluice.rows()), "rows of " + query);
        assertEquals(flink.digest().rows(), sluice.digest().rows());
        assertEquals(flink.digest().sum(), sluice.digest().sum(), "digest of " + query);
        assertEquals(sluice.rows().size(), sluice.digest().rows());
    }

    private static List<String> sorted(final List<Object[]> rows) {
        return rows.stream().map(Arrays::toString).sorted().toList();
    }
}
