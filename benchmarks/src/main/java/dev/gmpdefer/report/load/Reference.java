package dev.gmpdefer.report.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The committed reference: {@code results/reference.txt} lists, one per line, the run folders under
 * {@code results/} that the report and the README tables are generated from ({@code #} starts a comment).
 * Runs a user makes go to the git-ignored {@code results/local/} and are never read for the reference;
 * {@code scripts/run.sh --reference} (and the other scripts' {@code --reference}) add a folder here.
 * Without the file (test fixtures), every run folder under the results folder counts. No Go counterpart
 * (tooling).
 */
public final class Reference {
    /** The manifest's file name in the results folder. */
    public static final String FILE = "reference.txt";
    /** The git-ignored folder under results/ where users' runs go. */
    public static final String LOCAL = "local";

    private Reference() {
    }

    /** The listed run folder names in file order, or null when the results folder has no manifest. */
    static List<String> read(Path resultsDir) throws IOException {
        Path f = resultsDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            int hash = line.indexOf('#');
            String t = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (!t.isEmpty()) {
                names.add(t);
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** Whether a run folder of {@code resultsDir} is part of the reference (every folder when no manifest). */
    static boolean includes(List<String> manifest, String folder) {
        return manifest == null || manifest.contains(folder);
    }
}
