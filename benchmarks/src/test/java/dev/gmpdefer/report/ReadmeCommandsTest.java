package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The scripts exist and answer --help, and every command README.md shows refers to a script, benchmark
 * class or main class that exists. Runs from the module folder (benchmarks/), so the repository root is "..".
 */
class ReadmeCommandsTest {

    static final Path ROOT = Paths.get("..");
    static final List<String> SCRIPTS = List.of("run.sh", "report.sh", "compare-allocators.sh", "flamegraph.sh");

    private static List<Path> scripts() throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve("scripts"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".sh")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void everyScriptExistsAndAnswersHelp() throws Exception {
        for (String name : SCRIPTS) {
            assertTrue(Files.isRegularFile(ROOT.resolve("scripts").resolve(name)), "scripts/" + name + " exists");
        }
        for (Path script : scripts()) {
            String name = script.getFileName().toString();
            assertTrue(Files.isExecutable(script), "scripts/" + name + " is executable (git update-index --chmod=+x)");
            Process p = new ProcessBuilder("bash", "scripts/" + name, "--help").directory(ROOT.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), name + " --help returns");
            assertEquals(0, p.exitValue(), name + " --help exits 0: " + out);
            assertTrue(out.startsWith("Usage: scripts/" + name), name + " --help prints its usage: " + out);
            String text = Files.readString(script);
            assertTrue(text.contains("set -euo pipefail"), name + " uses set -euo pipefail");
        }
    }

    @Test
    void badArgumentsFailWithAMessage() throws Exception {
        Process p = new ProcessBuilder("bash", "scripts/run.sh", "sideways").directory(ROOT.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("unknown mode 'sideways'"), out);
    }

    static final Pattern SCRIPT_REF = Pattern.compile("scripts/([A-Za-z0-9._-]+\\.sh)");
    static final Pattern BENCH_REF = Pattern.compile("\\b([A-Z][A-Za-z0-9]*Bench)\\b");
    static final Pattern MAIN_REF = Pattern.compile("java\\s+(?:-\\S+\\s+)*-cp\\s+\\S+\\s+((?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*)");

    @Test
    void readmeCommandsReferToThingsThatExist() throws IOException {
        Path readme = ROOT.resolve("README.md");
        if (!Files.exists(readme)) {
            fail("README.md is missing at the repository root (" + readme.toAbsolutePath().normalize() + "): it must "
                    + "show how to run the suite (scripts/run.sh), the report (scripts/report.sh) and point to "
                    + "results/REPORT.md");
        }
        String text = Files.readString(readme);
        assertTrue(text.contains("results/REPORT.md"), "README.md points to the report results/REPORT.md");
        Set<String> benches = benchmarkClasses();
        List<String> problems = new ArrayList<>();
        int commands = 0;
        for (String line : text.split("\n")) {
            boolean command = line.contains("scripts/") || line.contains("java -jar") || line.contains("java -cp");
            if (!command) {
                continue;
            }
            commands++;
            Matcher s = SCRIPT_REF.matcher(line);
            while (s.find()) {
                if (!Files.isRegularFile(ROOT.resolve("scripts").resolve(s.group(1)))) {
                    problems.add("no script scripts/" + s.group(1) + " (line: " + line.trim() + ")");
                }
            }
            Matcher b = BENCH_REF.matcher(line);
            while (b.find()) {
                if (!benches.contains(b.group(1))) {
                    problems.add("no benchmark class " + b.group(1) + " in benchmarks/src/main/java (line: "
                            + line.trim() + ")");
                }
            }
            Matcher m = MAIN_REF.matcher(line);
            while (m.find()) {
                Path src = Paths.get("src/main/java", m.group(1).replace('.', '/') + ".java");
                if (!Files.isRegularFile(src)) {
                    problems.add("no main class " + m.group(1) + " (line: " + line.trim() + ")");
                }
            }
        }
        assertTrue(commands > 0, "README.md shows at least one command");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    static final Pattern MD_LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** The repository carries every document it links to: relative links resolve, nothing points to shared/. */
    @Test
    void everyLinkedDocumentIsInTheRepository() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("results/REPORT.md")));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> problems = new ArrayList<>();
        for (Path doc : docs) {
            String text = Files.readString(doc);
            if (text.contains("shared/")) {
                problems.add(doc + " names shared/, which users of the repository do not have");
            }
            Matcher m = MD_LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                if (!Files.exists(doc.getParent().resolve(file))) {
                    problems.add(doc + " links to " + target + ", which is not in the repository");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** A user's run goes to the git-ignored results/local/, and only --reference touches tracked files. */
    @Test
    void runsGoToResultsLocalUnlessReference() throws Exception {
        String out = runScript("scripts/run.sh", "--dry-run", "quick");
        assertTrue(out.contains("results/local/") && out.contains("--run results/local/"), out);
        assertTrue(!out.contains("--out results/REPORT.md") && !out.contains("reference.txt"), out);
        out = runScript("scripts/run.sh", "--dry-run", "--reference", "quick");
        assertTrue(out.contains("reference.txt") && out.contains("--out results/REPORT.md"), out);
        String ignore = Files.readString(ROOT.resolve(".gitignore"));
        assertTrue(ignore.lines().anyMatch(l -> l.equals("/results/local/")), ".gitignore ignores results/local/");
        assertTrue(ignore.lines().anyMatch(l -> l.equals("/benchmarks.jar")), ".gitignore ignores the root jar");
    }

    private static String runScript(String... cmd) throws Exception {
        List<String> c = new ArrayList<>();
        c.add("bash");
        c.addAll(List.of(cmd));
        Process p = new ProcessBuilder(c).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " returns");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Simple names of the classes under benchmarks/src/main/java whose name ends in "Bench". */
    private static Set<String> benchmarkClasses() throws IOException {
        try (Stream<Path> s = Files.walk(Paths.get("src/main/java"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Bench.java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).collect(Collectors.toSet());
        }
    }
}
