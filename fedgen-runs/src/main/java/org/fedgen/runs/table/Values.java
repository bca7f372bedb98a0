package org.fedgen.runs.table;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parsing of field text by column type; null means "not of this type". */
final class Values {
    /** Plain decimal notation: Java's parser would also take "NaN", "Infinity", hex and a trailing 'd'. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");

    private Values() {
    }

    static Double number(String s) {
        String t = s.strip();
        if (!NUMBER.matcher(t).matches()) {
            return null;
        }
        double v = Double.parseDouble(t);
        return Double.isFinite(v) ? v : null;
    }

    static Double integer(String s) {
        String t = s.strip();
        if (!INTEGER.matcher(t).matches()) {
            return null;
        }
        return (double) Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
    }

    static Double bool(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.equals("true")) {
            return 1.0;
        }
        return t.equals("false") ? Double.valueOf(0.0) : null;
    }

    /** Day number since 1970-01-01. */
    static Double date(String s, String pattern) {
        try {
            LocalDate d = LocalDate.parse(s.strip(), formatter(pattern));
            return (double) d.toEpochDay();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static DateTimeFormatter formatter(String pattern) {
        return pattern == null ? DateTimeFormatter.ISO_LOCAL_DATE
                : DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
    }

    /** Digits after the decimal point as written (0 for exponent notation, whose scale is not written). */
    static int decimals(String s) {
        String t = s.strip();
        int dot = t.indexOf('.');
        if (dot < 0 || t.indexOf('e') >= 0 || t.indexOf('E') >= 0) {
            return 0;
        }
        return t.length() - dot - 1;
    }

    /** The value of an ordered or boolean column, or null if the text is not of the type. */
    static Double parse(ColumnType type, String s, String format) {
        return switch (type) {
            case NUMERIC -> number(s);
            case INTEGER -> integer(s);
            case BOOLEAN -> bool(s);
            case DATE -> date(s, format);
            case CATEGORICAL -> throw new IllegalStateException("categorical values are not parsed");
        };
    }

    /** What a value of the type looks like, for messages. */
    static String expected(ColumnType type, String format) {
        return switch (type) {
            case NUMERIC -> "a number";
            case INTEGER -> "an integer";
            case BOOLEAN -> "true or false";
            case DATE -> "a date (" + (format == null ? "yyyy-MM-dd" : format) + ")";
            case CATEGORICAL -> "a category";
        };
    }
}
