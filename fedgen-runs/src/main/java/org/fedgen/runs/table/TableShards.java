package org.fedgen.runs.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.fedgen.core.data.Dataset;
import org.fedgen.core.data.IidPartitioner;
import org.fedgen.core.data.Partition;
import org.fedgen.core.util.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table split among clients and encoded the federated way: rows are split (by a column's values or IID), each
 * client computes {@link TableStatistics} of its own rows, the server merges them in client-id order and fits the
 * transform from them and the schema; then each client encodes its rows. In a DP run the statistics are not noised,
 * so the transform must come from the schema alone and an incomplete schema is refused. Each client keeps the last
 * tenth of its (shuffled) rows, if it has at least 10, for federated evaluation, as the digits runs do.
 *
 * @param train     each client's training rows, raw
 * @param eval      each client's evaluation rows, raw
 * @param encoder   the fitted transform
 * @param trainData each client's training rows, encoded
 * @param evalData  each client's evaluation rows, encoded
 */
public record TableShards(List<CsvTable> train, List<CsvTable> eval, TableEncoder encoder, List<Dataset> trainData,
        List<Dataset> evalData) {
    private static final Logger LOG = LoggerFactory.getLogger(TableShards.class);

    /**
     * Reads, splits, fits and encodes.
     *
     * @param clients number of clients of an IID split (ignored with {@code partitionBy})
     * @param dp      whether the run is private: the transform then comes from the schema only
     * @throws IllegalArgumentException naming file, line and column of a bad value, the missing column, or what a
     *                                  private run's schema lacks
     */
    public static TableShards load(TableSource source, int clients, long seed, boolean dp) {
        CsvTable table = CsvTable.read(source.data());
        TableSchema declared = source.readSchema();
        declared.checkAgainst(table);
        if (dp) {
            String lacks = declared.incompleteColumn(table.header());
            if (lacks != null) {
                throw new IllegalArgumentException("a DP run takes its table transform from the schema alone (client "
                        + "statistics are not noised): " + (source.schema() == null ? "give --schema; " : "")
                        + lacks + " in " + (source.schema() == null ? "a schema" : source.schema()));
            }
        }
        List<int[]> parts = source.partitionBy() != null ? byColumn(table, source.partitionBy())
                : iid(table.size(), clients, seed);
        List<CsvTable> train = new ArrayList<>();
        List<CsvTable> eval = new ArrayList<>();
        List<TableStatistics> stats = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            int[] idx = parts.get(k);
            shuffle(idx, Seeds.derive(seed, "table/rows", k));
            CsvTable rows = table.subset(idx);
            stats.add(TableStatistics.of(rows, declared));
            int keep = rows.size() >= 10 ? rows.size() - rows.size() / 10 : rows.size();
            train.add(rows.subset(range(0, keep)));
            eval.add(rows.subset(range(keep, rows.size())));
        }
        TableSchema fitted = TableStatistics.merge(stats).fit(declared);
        TableEncoder encoder = new TableEncoder(fitted);
        List<Dataset> trainData = new ArrayList<>();
        List<Dataset> evalData = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            trainData.add(Dataset.unlabelled(encoder.encode(train.get(k))));
            evalData.add(Dataset.unlabelled(encoder.encode(eval.get(k))));
        }
        LOG.info("table {}: {} columns, {} features, {} clients{}", source.data(), table.header().size(),
                encoder.width(), parts.size(), source.partitionBy() != null ? " (by " + source.partitionBy() + ")"
                        : "");
        return new TableShards(List.copyOf(train), List.copyOf(eval), encoder, List.copyOf(trainData),
                List.copyOf(evalData));
    }

    /** Row indices per distinct value of the column, values in sorted order (missing values are one more value). */
    private static List<int[]> byColumn(CsvTable t, String column) {
        int c = t.column(column);
        TreeMap<String, List<Integer>> groups = new TreeMap<>();
        for (int r = 0; r < t.size(); r++) {
            groups.computeIfAbsent(t.get(r, c), v -> new ArrayList<>()).add(r);
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> g : groups.values()) {
            out.add(g.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    private static List<int[]> iid(int n, int clients, long seed) {
        Partition p = new IidPartitioner().partition(new int[n], clients, Seeds.derive(seed, "partition"));
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            out.add(p.indices(k));
        }
        return out;
    }

    private static void shuffle(int[] a, long seed) {
        Random rnd = new Random(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** The union of the clients' training rows (for measurements of a simulation only, never for the transform). */
    public CsvTable pooledTrain() {
        return CsvTable.concat(train);
    }

    /** The union of the clients' evaluation rows (likewise). */
    public CsvTable pooledEval() {
        return CsvTable.concat(eval);
    }
}
