package org.fedgen.runs.table;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A run's table: the CSV file, its optional schema file, and the column whose values are the clients (a natural silo
 * split); recorded in the run's configuration and so in its provenance.
 *
 * @param data        CSV file with a header
 * @param schema      JSON schema file (see {@link TableSchema}); null = every column inferred from client statistics
 * @param partitionBy column whose distinct values (sorted) are clients 0, 1, ...; null = the run's partition
 */
public record TableSource(Path data, Path schema, String partitionBy) {
    /** @throws NullPointerException if {@code data} is null */
    public TableSource {
        Objects.requireNonNull(data, "data");
        if (partitionBy != null && partitionBy.isBlank()) {
            throw new IllegalArgumentException("--partition-by needs a column name");
        }
    }

    /** The schema file's declarations, or none. */
    public TableSchema readSchema() {
        return schema == null ? TableSchema.empty() : TableSchema.read(schema);
    }
}
