package dev.gmpdefer.report.render;

import dev.gmpdefer.contract.Parameter;
import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The paired sessions (scripts/run.sh paired; issue 20): the model and real Go measured in one session,
 * interleaved by workload block, with the host fingerprint in the JVM and in Go at each block's start
 * and end. For each session: its fingerprints, and per workload and treatment the share of the waits
 * (runnable to running) by what the Ps were doing meanwhile, model ({@code wait.cause.<cause>.us},
 * exact) beside real Go (a traced run's {@code waitByCause}, realgo/tracewait), all waits and the waits
 * above the run's P95. Model and real Go are compared only within one session.
 */
public final class SessionView {
    /** The causes in the order realgo/tracewait and the model publish them (the model's WaitCause). */
    public static final List<String> CAUSES = java.util.Arrays.stream(dev.gmpdefer.model.metrics.WaitCause.ALL)
            .map(c -> c.id).toList();
    private static final List<String> SHORT = List.of("run", "gcw", "stw", "idle", "sys", "other");

    private SessionView() {
    }

    /** Renders every session, the latest first; nothing when there is none. */
    static void render(StringBuilder sb, List<RealGo> sessions) throws IOException {
        if (sessions.isEmpty()) {
            return;
        }
        sb.append("## Paired sessions: the model and real Go in one session\n\n");
        sb.append("Each session (`scripts/run.sh paired`) runs, per latency workload, the model's benchmark and "
                + "realgo's same workload back to back, with the host fingerprint measured in the JVM and in Go at "
                + "the block's start and end: ns per dependent load over a 128 MiB random cycle (larger than the "
                + "last-level cache) and ns per xorshift64 step. Model and real Go are compared only within a "
                + "session; the host's speed differs between sessions (see the fingerprints). These runs are "
                + "not part of the tables above, which come from the stand-alone reference runs.\n\n");
        sb.append("| session | folder | real Go | blocks | memory ns/load, JVM (min-max) | memory ns/load, Go | "
                + "xorshift ns/step, JVM | xorshift ns/step, Go |\n|---|---|---|---|---|---|---|---|\n");
        for (RealGo g : sessions) {
            sb.append("| ").append(Fmt.cell(g.session)).append(" | ").append(g.run.name()).append(" | ")
                    .append(g.goLabel()).append(" | ").append(blocks(g).size()).append(" | ")
                    .append(range(g, "jvm", true)).append(" | ").append(range(g, "go", true)).append(" | ")
                    .append(range(g, "jvm", false)).append(" | ").append(range(g, "go", false)).append(" |\n");
        }
        sb.append('\n');
        sb.append("### Where the waits go, by session\n\n");
        sb.append("Every wait (runnable to running) split by what the GOMAXPROCS Ps were doing during it, each "
                + "P's time counted 1/GOMAXPROCS, so a wait's causes add up to its length: **run** another "
                + "goroutine, **gcw** a GC mark worker, **stw** stopped for the world, **idle** (a wake-up delay "
                + "beside a runnable goroutine), **sys** in a system call (the model makes none), **other** the "
                + "scheduler itself (no goroutine on the P). Shares of the summed wait, in %, for all waits and "
                + "for the waits above the run's P95 (tail). Model: exact, every P's state (`wait.cause.*.us`, "
                + "mean over its forks); real Go: one traced run per cell and treatment (runtime/trace, read by "
                + "realgo/tracewait), made after the measured runs.\n\n");
        boolean first = true;
        for (RealGo g : sessions) {
            ResultStore model = ResultStore.load(List.of(g.dir));
            sb.append(first ? "<details open>" : "<details>").append("<summary>session ").append(Fmt.cell(g.session))
                    .append(" (").append(g.run.name()).append(", ").append(g.goLabel()).append(")</summary>\n\n");
            first = false;
            causes(sb, g, model);
            sb.append("</details>\n\n");
        }
    }

    private static List<String> blocks(RealGo g) {
        List<String> b = new ArrayList<>();
        for (RealGo.Fingerprint f : g.fingerprints) {
            if (!f.block().isEmpty() && !b.contains(f.block())) {
                b.add(f.block());
            }
        }
        return b;
    }

    private static String range(RealGo g, String side, boolean memory) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (RealGo.Fingerprint f : g.fingerprints) {
            if (f.side().equals(side)) {
                double v = memory ? f.memNsPerLoad() : f.xorshiftNsPerStep();
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo > hi ? "n/a" : Fmt.num(lo) + " - " + Fmt.num(hi);
    }

    /** The cause tables of one session: per workload and GOMAXPROCS both sides measured. */
    private static void causes(StringBuilder sb, RealGo g, ResultStore model) {
        for (String w : g.workloadNames()) {
            String bench = w + "Bench";
            TreeSet<Integer> modelProcs = new TreeSet<>();
            for (JmhEntry e : model.entries()) {
                if (e.benchClass().equals(bench) && e.param(Parameter.PROCS.id) != null) {
                    modelProcs.add(Integer.parseInt(e.param(Parameter.PROCS.id)));
                }
            }
            for (int procs : g.procs(w)) {
                if (!modelProcs.contains(procs)) {
                    continue;
                }
                sb.append("**").append(w).append("**, GOMAXPROCS ").append(procs).append(" (")
                        .append(String.join(" / ", SHORT)).append(", % of the summed wait)\n\n");
                sb.append("| treatment | model, all | real Go, all | model, tail | real Go, tail |\n");
                sb.append("|---|---|---|---|---|\n");
                for (String t : g.treatments(w)) {
                    JmhEntry e = entry(model, bench, procs, t);
                    Map<String, Double> mAll = e == null ? null : modelCauses(e, "wait.cause.");
                    Map<String, Double> mTail = e == null ? null : modelCauses(e, "wait.tail.cause.");
                    Map<String, Double> gAll = new LinkedHashMap<>();
                    Map<String, Double> gTail = new LinkedHashMap<>();
                    for (RealGo.Traced tr : g.tracedOf(w, procs, t)) {
                        tr.all().forEach((k, v) -> gAll.merge(k, v, Double::sum));
                        tr.tail().forEach((k, v) -> gTail.merge(k, v, Double::sum));
                    }
                    if (mAll == null && gAll.isEmpty()) {
                        continue;
                    }
                    sb.append("| ").append(t).append(" | ").append(shares(mAll)).append(" | ").append(shares(gAll))
                            .append(" | ").append(shares(mTail)).append(" | ").append(shares(gTail)).append(" |\n");
                }
                sb.append('\n');
            }
        }
    }

    /** The session's model entry for one cell (the first when several parameter sets match); null if none. */
    private static JmhEntry entry(ResultStore model, String bench, int procs, String treatment) {
        for (JmhEntry e : model.entries()) {
            if (e.benchClass().equals(bench) && String.valueOf(procs).equals(e.param(Parameter.PROCS.id))
                    && treatment.equals(e.param(Parameter.TREATMENT.id))) {
                return e;
            }
        }
        return null;
    }

    /** The model's µs by cause from one entry's secondary metrics; null when it has none. */
    static Map<String, Double> modelCauses(JmhEntry e, String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String c : CAUSES) {
            Metric x = e.metric(prefix + c + ".us");
            if (x == null) {
                return null;
            }
            m.put(c, x.score());
        }
        return m;
    }

    /** "61 / 12 / 0.1 / 3.0 / 0 / 24": each cause's share of the sum, in %; n/a when there is nothing. */
    public static String shares(Map<String, Double> us) {
        if (us == null || us.isEmpty()) {
            return "n/a";
        }
        double sum = 0;
        for (String c : CAUSES) {
            sum += us.getOrDefault(c, 0.0);
        }
        if (!(sum > 0)) {
            return "n/a";
        }
        List<String> parts = new ArrayList<>();
        for (String c : CAUSES) {
            parts.add(pct(us.getOrDefault(c, 0.0) / sum));
        }
        return String.join(" / ", parts);
    }

    private static String pct(double f) {
        double v = 100 * f;
        if (v == 0) {
            return "0";
        }
        return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
