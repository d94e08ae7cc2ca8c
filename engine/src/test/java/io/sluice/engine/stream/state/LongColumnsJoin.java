package io.sluice.engine.stream.state;

import java.util.List;

/**
 * The join the {@link LongColumnsState} tests run, over rows of values (a, kind): a row of kind 0 is a header (state:
 * its a as column 0, 0 items as column 1); a row of kind 1 an item of its key, deferred until the key's header came,
 * then counted and emitted as (k, a, header).
 */
public final class LongColumnsJoin {
    /** The join's spec: state (header, items), output (k, a, h). */
    public static final LongColumnsSpec SPEC = LongColumnsSpec.of(List.of("header", "items"), List.of("k", "a", "h"),
        LongColumnsJoin::fold);

    private LongColumnsJoin() {
    }

    private static int fold(final LongColumnsRow row) {
        if (row.value(1) == 0) {
            row.state(0, row.value(0));
            return LongColumnsFold.KEEP;
        }
        if (row.isNew()) {
            return LongColumnsFold.DEFER;
        }
        row.state(1, row.state(1) + 1);
        row.out(0, row.key());
        row.out(1, row.value(0));
        row.out(2, row.state(0));
        return LongColumnsFold.EMIT;
    }
}
