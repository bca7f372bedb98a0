package org.fedgen.runs.table;

import java.util.TreeSet;

/**
 * What one party's rows say about one column, in a form that merges across parties: counts, which types every
 * present value fits, the range and sum under the numeric and date readings, the distinct values (capped) and the
 * decimals written. Mutable while a party reads its rows; merged in client-id order.
 */
final class ColumnStatistics {
    /** Distinct values beyond which an undeclared text column is refused rather than one-hot encoded. */
    static final int MAX_CATEGORIES = 100;

    long present;
    long missing;
    boolean allBoolean = true;
    boolean allInteger = true;
    boolean allNumber = true;
    boolean allDate = true;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum;
    double dateMin = Double.POSITIVE_INFINITY;
    double dateMax = Double.NEGATIVE_INFINITY;
    double dateSum;
    int decimals;
    final TreeSet<String> categories = new TreeSet<>();
    /** More distinct values than {@link #MAX_CATEGORIES} were seen (the set stops growing there). */
    boolean tooManyCategories;

    /** Folds one present value in; {@code format} is the declared date pattern or null. */
    void add(String s, String format) {
        present++;
        Double n = Values.number(s);
        if (n != null) {
            min = Math.min(min, n);
            max = Math.max(max, n);
            sum += n;
            decimals = Math.max(decimals, Math.min(15, Values.decimals(s)));
        }
        allNumber &= n != null;
        allInteger &= Values.integer(s) != null;
        allBoolean &= Values.bool(s) != null;
        Double d = Values.date(s, format);
        if (d != null) {
            dateMin = Math.min(dateMin, d);
            dateMax = Math.max(dateMax, d);
            dateSum += d;
        }
        allDate &= d != null;
        addCategory(s);
    }

    private void addCategory(String s) {
        if (categories.contains(s)) {
            return;
        }
        if (categories.size() >= MAX_CATEGORIES) {
            tooManyCategories = true;
        } else {
            categories.add(s);
        }
    }

    /** Folds another party's statistics of the same column in. */
    void merge(ColumnStatistics o) {
        present += o.present;
        missing += o.missing;
        allBoolean &= o.allBoolean;
        allInteger &= o.allInteger;
        allNumber &= o.allNumber;
        allDate &= o.allDate;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
        sum += o.sum;
        dateMin = Math.min(dateMin, o.dateMin);
        dateMax = Math.max(dateMax, o.dateMax);
        dateSum += o.dateSum;
        decimals = Math.max(decimals, o.decimals);
        tooManyCategories |= o.tooManyCategories;
        for (String c : o.categories) {
            addCategory(c);
        }
    }

    /** The type every present value fits, most specific first: boolean, integer, numeric, date, categorical. */
    ColumnType inferredType() {
        if (allBoolean) {
            return ColumnType.BOOLEAN;
        }
        if (allInteger) {
            return ColumnType.INTEGER;
        }
        if (allNumber) {
            return ColumnType.NUMERIC;
        }
        return allDate ? ColumnType.DATE : ColumnType.CATEGORICAL;
    }
}
