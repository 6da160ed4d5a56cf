package dev.gmpdefer.report.judge;

import dev.gmpdefer.report.load.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The allocator comparison's rows: DeferAllocBench's cost per defer and bytes per defer by strategy, the ratio
 * to the plain call (the class's baseline method), next to Go's published figures (reference item 23);
 * rendered by {@code render.AllocatorTable}.
 */
public final class Allocators {
    private Allocators() {
    }

    public static final String BENCH = "DeferAllocBench";
    /** DeferAllocBench in forks without Agrona's bounds checks (its OFFHEAP rows go beside the checked ones). */
    public static final String UNCHECKED = "DeferAllocUncheckedBench";
    public static final String ALLOC_NORM = "gc.alloc.rate.norm";
    private static final Pattern BASELINE = Pattern.compile("(?i).*(baseline|nodefer|plain).*");

    /** One row: a defer-registering measurement and its plain-call baseline. */
    public record Row(JmhEntry entry, JmhEntry baseline, double ns, double nsErr, double bytes, double ratio,
               ClaimBook.Published go, double goRatio) {
        public String strategy() {
            if (isBaseline(entry)) {
                return "(plain call)";
            }
            String s = entry.param("strategy") == null ? "-" : entry.param("strategy");
            return entry.benchClass().equals(UNCHECKED) ? s + " (bounds checks off)" : s;
        }
    }

    /**
     * The table's entries: DeferAllocBench's, and DeferAllocUncheckedBench's defer rows, each right after
     * the checked row with the same parameters.
     */
    public static List<JmhEntry> entries(List<JmhEntry> all) {
        List<JmhEntry> es = all.stream().filter(e -> e.benchClass().equals(BENCH)
                || (e.benchClass().equals(UNCHECKED) && !isBaseline(e))).collect(Collectors.toList());
        es.sort(java.util.Comparator.comparing(JmhEntry::method).thenComparing(JmhEntry::mode)
                .thenComparing((a, b) -> ResultStore.compareParams(a.params(), b.params()))
                .thenComparing(JmhEntry::benchClass));
        return es;
    }

    public static boolean isBaseline(JmhEntry e) {
        return BASELINE.matcher(e.method()).matches();
    }

    /** Rows for every non-baseline entry, in report order; baseline entries become their own rows last. */
    public static List<Row> rows(List<JmhEntry> entries, ClaimBook book) {
        List<JmhEntry> baselines = entries.stream().filter(Allocators::isBaseline).collect(Collectors.toList());
        ClaimBook.Published plain = book.published("baseline");
        List<Row> rows = new ArrayList<>();
        for (JmhEntry e : entries) {
            if (isBaseline(e)) {
                continue;
            }
            JmhEntry b = bestMatch(baselines, e);
            double ns = e.primary().toNanos();
            double ratio = b == null ? Double.NaN : ns / b.primary().toNanos();
            ClaimBook.Published go = e.param("strategy") == null ? null : book.published(e.param("strategy"));
            double goRatio = go == null || plain == null ? Double.NaN : go.ns() / plain.ns();
            rows.add(new Row(e, b, ns, e.primary().errorToNanos(), bytes(e), ratio, go, goRatio));
        }
        // One row per distinct baseline (by parameters that matter), so the plain call is visible.
        List<String> seen = new ArrayList<>();
        for (JmhEntry b : baselines) {
            String k = b.method() + " " + b.param("defersPerCall") + " " + b.param("layout");
            if (seen.contains(k)) {
                continue;
            }
            seen.add(k);
            rows.add(new Row(b, b, b.primary().toNanos(), b.primary().errorToNanos(), bytes(b), 1.0, plain,
                    plain == null ? Double.NaN : 1.0));
        }
        return rows;
    }

    private static double bytes(JmhEntry e) {
        Metric m = e.metric(ALLOC_NORM);
        return m == null ? Double.NaN : m.score();
    }

    private static JmhEntry bestMatch(List<JmhEntry> candidates, JmhEntry e) {
        JmhEntry best = null;
        int bestScore = -1;
        for (JmhEntry c : candidates) {
            int score = 0;
            for (var kv : e.params().entrySet()) {
                if (kv.getValue().equals(c.param(kv.getKey()))) {
                    score += "strategy".equals(kv.getKey()) ? 1 : 2; // defers/layout matter more than strategy
                }
            }
            if (score > bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }
}
