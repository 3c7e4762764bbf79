package io.brandscan.api;

import java.util.List;

/**
 * CSV for takedown exports (RFC 4180: every cell quoted, quotes doubled, CRLF line ends). A text
 * cell beginning with {@code = + - @}, a tab or a carriage return is prefixed with {@code '} so a
 * spreadsheet shows it as text instead of running it as a formula (CSV injection: a listing title
 * is written by whoever posted the listing).
 */
public final class CsvCells {
    private CsvCells() {
    }

    public static String row(List<?> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(cell(cells.get(i)));
        }
        return sb.append("\r\n").toString();
    }

    static String cell(Object value) {
        if (value == null) {
            return "\"\"";
        }
        String text = value.toString();
        if (value instanceof CharSequence && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
