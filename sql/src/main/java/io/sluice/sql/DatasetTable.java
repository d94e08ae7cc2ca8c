package io.sluice.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.AbstractTable;

import io.sluice.engine.dataset.Dataset;

/** A registered {@link Dataset} as a Calcite table: only its row type; Calcite never reads it. */
final class DatasetTable extends AbstractTable {
    private final Dataset dataset;

    DatasetTable(final Dataset dataset) {
        this.dataset = dataset;
    }

    Dataset dataset() {
        return dataset;
    }

    @Override
    public RelDataType getRowType(final RelDataTypeFactory factory) {
        return SqlTypes.rowType(factory, dataset.schema());
    }
}
