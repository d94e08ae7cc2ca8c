package io.sluice.spark;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * The rows of one Sluice batch file named by a Spark file source row ({@code path}, a {@code file:} URI), read in the
 * Spark task by Sluice's reader. The files must be on a file system the executors see as local paths.
 */
final class BatchFileRows implements FlatMapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final SchemaSpec spec;

    BatchFileRows(final SchemaSpec spec) {
        this.spec = spec;
    }

    @Override
    public Iterator<Row> call(final Row file) {
        final List<Row> rows = new ArrayList<>();
        BatchPartitions.addFileRows(Path.of(URI.create(file.getString(0))), spec.schema(), false, rows);
        return rows.iterator();
    }
}
