package dev.gmpdefer.report.render;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;

import java.util.ArrayList;
import java.util.List;

/** The report's one Markdown table helper: a header, rows of cells (escaped by {@link Fmt#cell}), rendered. */
public final class Md {
    private Md() {
    }

    /** A Markdown table. */
    static final class Table {
        private final String[] header;
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            this.header = header.clone();
        }

        /** Adds a row; it must have one cell per column. */
        Table row(String... cells) {
            if (cells.length != header.length) {
                throw new IllegalArgumentException("Md.Table: " + cells.length + " cells for " + header.length
                        + " columns");
            }
            rows.add(cells.clone());
            return this;
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("|");
            for (String h : header) {
                sb.append(' ').append(h).append(" |");
            }
            sb.append("\n|").append("---|".repeat(header.length)).append('\n');
            for (String[] r : rows) {
                sb.append('|');
                for (String c : r) {
                    sb.append(' ').append(Fmt.cell(c == null ? "" : c)).append(" |");
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }
}
