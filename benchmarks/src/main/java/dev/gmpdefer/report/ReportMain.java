package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The claims report: reads every run folder's JMH JSON under {@code results/} and writes
 * {@code results/REPORT.md} (deterministic: the same JSON gives the same bytes) and PNG plots under
 * {@code results/plots/}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.gmpdefer.report.ReportMain [--results results]
 *      [--out results/REPORT.md] [--plots results/plots] [--no-plots]
 * java -cp benchmarks/target/benchmarks.jar dev.gmpdefer.report.ReportMain --allocators FILE.json...
 * </pre>
 */
public final class ReportMain {
    private ReportMain() {
    }

    static final String USAGE = String.join("\n",
            "Usage: java -cp benchmarks/target/benchmarks.jar dev.gmpdefer.report.ReportMain [options]",
            "",
            "Writes the claims report (Markdown) and plots (PNG) from the reference run folders under the results",
            "folder (those results/reference.txt lists; every folder when there is no such file).",
            "",
            "Options:",
            "  --results DIR       results folder holding run folders <YYYY-MM-DD>-<label>/ (default: results)",
            "  --run DIR           instead: write DIR/REPORT.md comparing the run folder DIR (a user's run, e.g.",
            "                      results/local/<name>) with the reference: figures side by side, conclusions",
            "  --strict            exit 4 when any input was skipped (each is printed as one line either way)",
            "  --out FILE          report to write (default: <results>/REPORT.md)",
            "  --plots DIR         folder for the PNG plots (default: plots/ beside the report)",
            "  --no-plots          write the Markdown only",
            "  --check             do not write: exit 1 if FILE differs from what would be written",
            "  --power-plan        print the realgo runs per cell that the reference's noise calls for (the",
            "                      plan scripts/run.sh paired reads from scripts/lib/power-plan.tsv) and exit",
            "  --allocators FILE.. print the allocator comparison table of DeferAllocBench JMH JSON files and exit",
            "  --readme FILE       README whose summary block (between <!-- gmpdefer:summary:start --> and",
            "                      <!-- gmpdefer:summary:end -->) is regenerated too (default: <results>/../README.md",
            "                      when it has the markers; --check checks it as well)",
            "  -h, --help          this text",
            "");

    static final String README_START = "<!-- gmpdefer:summary:start -->";
    static final String README_END = "<!-- gmpdefer:summary:end -->";

    /**
     * Replaces the text between {@code <!-- gmpdefer:NAME:start -->} and {@code <!-- gmpdefer:NAME:end -->}
     * of {@code readme} with {@code content}; returns {@code readme} unchanged when the markers are missing.
     */
    static String withBlock(String readme, String name, String content) {
        String start = "<!-- gmpdefer:" + name + ":start -->";
        String end = "<!-- gmpdefer:" + name + ":end -->";
        int a = readme.indexOf(start);
        int b = readme.indexOf(end);
        if (a < 0 || b < a) {
            return readme;
        }
        return readme.substring(0, a + start.length()) + "\n" + content + readme.substring(b);
    }

    /** The summary block (claims) only; null when its markers are missing. */
    static String withSummary(String readme, String summary) {
        return readme.contains(README_START) && readme.contains(README_END)
                ? withBlock(readme, "summary", summary) : null;
    }

    /** Runs the tool; returns the exit status (0 ok, 1 check failed, 2 usage error, 3 I/O error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path results = Paths.get("results");
        Path report = null;
        Path plots = null;
        Path readme = null;
        boolean noPlots = false;
        boolean check = false;
        boolean strict = false;
        Path runDir = null;
        List<Path> allocators = null;
        boolean powerPlan = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h":
                case "--help":
                    out.print(USAGE);
                    return 0;
                case "--results":
                case "--out":
                case "--plots":
                case "--readme":
                case "--run":
                    if (i + 1 >= args.length) {
                        err.println("ReportMain: " + a + " needs a value\n");
                        err.print(USAGE);
                        return 2;
                    }
                    Path p = Paths.get(args[++i]);
                    if (a.equals("--results")) {
                        results = p;
                    } else if (a.equals("--out")) {
                        report = p;
                    } else if (a.equals("--readme")) {
                        readme = p;
                    } else if (a.equals("--run")) {
                        runDir = p;
                    } else {
                        plots = p;
                    }
                    break;
                case "--no-plots":
                    noPlots = true;
                    break;
                case "--check":
                    check = true;
                    break;
                case "--strict":
                    strict = true;
                    break;
                case "--power-plan":
                    powerPlan = true;
                    break;
                case "--allocators":
                    allocators = new ArrayList<>();
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        allocators.add(Paths.get(args[++i]));
                    }
                    if (allocators.isEmpty()) {
                        err.println("ReportMain: --allocators needs at least one JMH JSON file\n");
                        err.print(USAGE);
                        return 2;
                    }
                    break;
                default:
                    err.println("ReportMain: unknown argument '" + a + "'\n");
                    err.print(USAGE);
                    return 2;
            }
        }
        try {
            if (allocators != null) {
                return allocators(allocators, out, err);
            }
            if (powerPlan) {
                out.print(dev.gmpdefer.report.judge.PowerPlan.tsv(RealGo.primary(RealGo.loadAll(results))));
                return 0;
            }
            if (runDir != null) {
                return compare(results, runDir, report, out, err);
            }
            if (report == null) {
                report = results.resolve("REPORT.md");
            }
            Path reportDir = report.toAbsolutePath().getParent();
            if (plots == null) {
                plots = reportDir.resolve("plots");
            }
            String link = reportDir.relativize(plots.toAbsolutePath()).toString().replace('\\', '/');
            ResultStore store = ResultStore.load(results);
            for (String skipped : store.skipped()) {
                err.println("ReportMain: skipped: " + skipped.replace("`", ""));
            }
            int strictRc = strict && !store.skipped().isEmpty() ? 4 : 0;
            List<FlameShares.Row> flames = FlameShares.load(results);
            List<RealGo> allGo = RealGo.loadAll(results);
            RealGo realGo = RealGo.primary(allGo);
            ReportModel model = new ReportModel(store, ClaimBook.load(), flames, realGo, allGo);
            String md = new MarkdownReport(model, link.isEmpty() ? "." : link).render();
            if (readme == null) {
                Path guess = results.toAbsolutePath().getParent();
                readme = guess == null ? null : guess.resolve("README.md");
            }
            String readmeNew = null;
            if (readme != null && Files.exists(readme)) {
                ReadmeBlocks mr = new MarkdownReport(model, link).readme();
                readmeNew = withSummary(Files.readString(readme, StandardCharsets.UTF_8), mr.readmeSummary());
                if (readmeNew != null) {
                    readmeNew = withBlock(readmeNew, "allocators", mr.readmeAllocators());
                }
            }
            // docs/defer.md beside the README carries a generated block too (each strategy beside Go).
            Path deferDoc = readme == null || readme.toAbsolutePath().getParent() == null ? null
                    : readme.toAbsolutePath().getParent().resolve("docs").resolve("defer.md");
            String deferDocNew = null;
            if (deferDoc != null && Files.exists(deferDoc)) {
                String have = Files.readString(deferDoc, StandardCharsets.UTF_8);
                if (have.contains("<!-- gmpdefer:defer-vs-go:start -->")) {
                    deferDocNew = withBlock(have, "defer-vs-go", new MarkdownReport(model, link).readme()
                            .deferVsGo());
                    if (check && !deferDocNew.equals(have)) {
                        err.println("ReportMain: the generated table in " + deferDoc + " is not what the JSON under "
                                + results + " gives; regenerate it with scripts/report.sh");
                        return 1;
                    }
                }
            }
            if (check && readmeNew != null && !readmeNew.equals(Files.readString(readme, StandardCharsets.UTF_8))) {
                err.println("ReportMain: the summary in " + readme + " is not what the JSON under " + results
                        + " gives; regenerate it with scripts/report.sh");
                return 1;
            }
            if (check) {
                String have = Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8) : "";
                if (!have.equals(md)) {
                    err.println("ReportMain: " + report + " is not what the JSON under " + results
                            + " gives; regenerate it with scripts/report.sh");
                    return 1;
                }
                out.println("ReportMain: " + report + " matches the JSON under " + results);
                return strictRc;
            }
            writeAtomically(report, md);
            if (deferDocNew != null) {
                writeAtomically(deferDoc, deferDocNew);
            }
            if (readmeNew != null) {
                writeAtomically(readme, readmeNew);
                out.println("ReportMain: updated the summary in " + readme);
            }
            out.println("ReportMain: wrote " + report + " (" + store.runs().size() + " run folder(s), "
                    + store.entries().size() + " result(s))");
            if (!noPlots) {
                try {
                    for (Path f : Plots.write(store, realGo, plots)) {
                        out.println("ReportMain: wrote " + f);
                    }
                    Path agreement = AgreementPlot.write(model.sessions, plots);
                    if (agreement != null) {
                        out.println("ReportMain: wrote " + agreement);
                    }
                } catch (IOException | RuntimeException | Error e) {
                    // The Markdown is complete without the pictures; say why they are missing.
                    err.println("ReportMain: plots not written (" + e + "). On a headless machine without fonts, "
                            + "install fonts-dejavu-core (or any TrueType font) and rerun.");
                    return 3;
                }
            }
            if (strictRc != 0) {
                err.println("ReportMain: --strict: " + store.skipped().size() + " input(s) skipped (listed above)");
            }
            return strictRc;
        } catch (IOException e) {
            err.println("ReportMain: " + e);
            return 3;
        }
    }

    /** Writes the comparison of one user run with the reference; returns the exit status. */
    private static int compare(Path results, Path runDir, Path report, PrintStream out, PrintStream err)
            throws IOException {
        if (!Files.isDirectory(runDir)) {
            err.println("ReportMain: --run: no such run folder " + runDir);
            return 2;
        }
        RunComparison c = RunComparison.load(results, runDir);
        Path file = report != null ? report : runDir.resolve("REPORT.md");
        writeAtomically(file, c.render());
        int[] same = c.sameConclusions();
        out.println("ReportMain: wrote " + file + ": " + c.compared() + " figure(s) side by side with the reference, "
                + same[0] + " of " + same[1] + " conclusions the same");
        return 0;
    }

    /** The report's Markdown for a store (deterministic). */
    public static String render(ResultStore store, String plotsLink) {
        return new MarkdownReport(store, ClaimBook.load(), plotsLink).render();
    }

    private static int allocators(List<Path> files, PrintStream out, PrintStream err) throws IOException {
        List<JmhEntry> entries = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                err.println("ReportMain: --allocators: no such file " + f);
                return 2;
            }
            RunInfo run = new RunInfo(f.toAbsolutePath().getParent().getFileName().toString(), "unknown", "unknown",
                    "unknown", "unknown", "unknown", "unknown");
            entries.addAll(JmhJson.parseJmh(run, f));
        }
        entries = Allocators.entries(entries);
        if (entries.isEmpty()) {
            err.println("ReportMain: --allocators: no DeferAllocBench result in " + files);
            return 1;
        }
        out.print(AllocatorTable.text(Allocators.rows(entries, ClaimBook.load())));
        return 0;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".report", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int rc = run(args, System.out, System.err);
        if (rc != 0) {
            System.exit(rc);
        }
    }
}
