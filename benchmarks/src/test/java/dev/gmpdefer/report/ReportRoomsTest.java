package dev.gmpdefer.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's three rooms (issue 21): load (run folders, records, the claim book), judge (statistics, rules,
 * verdicts) and render (sections, README blocks, plots). Arrows run render -> judge -> load only; the entry
 * points in {@code dev.gmpdefer.report} may use all three. Checked on the sources' imports and qualified
 * names, as written; and no report file is over 400 lines.
 */
class ReportRoomsTest {
    private static final Path SRC = Paths.get("src/main/java/dev/gmpdefer/report");
    private static final int MAX_LINES = 400;
    /** Which rooms each room may reach. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "load", Set.of(),
            "judge", Set.of("load"),
            "render", Set.of("load", "judge"),
            "", Set.of("load", "judge", "render"));
    private static final Pattern REF = Pattern.compile("dev\\.gmpdefer\\.report\\.(load|judge|render)\\b");

    /** The rooms a source reaches that its own room may not: "room -> other" per offence. */
    static List<String> backArrows(String room, String source) {
        List<String> out = new ArrayList<>();
        String code = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Matcher m = REF.matcher(code);
        while (m.find()) {
            String to = m.group(1);
            if (!to.equals(room) && !ALLOWED.get(room).contains(to)) {
                out.add((room.isEmpty() ? "report" : room) + " -> " + to);
            }
        }
        return out;
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(SRC)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
    }

    private static String roomOf(Path p) {
        Path rel = SRC.relativize(p);
        return rel.getNameCount() == 1 ? "" : rel.getName(0).toString();
    }

    @Test
    void arrowsRunRenderJudgeLoadOnly() throws IOException {
        List<String> offences = new ArrayList<>();
        int files = 0;
        for (Path p : sources()) {
            String room = roomOf(p);
            assertTrue(ALLOWED.containsKey(room), "a source outside the three rooms and the entry points: " + p);
            String src = Files.readString(p, StandardCharsets.UTF_8);
            String pkg = "package dev.gmpdefer.report" + (room.isEmpty() ? "" : "." + room) + ";";
            assertTrue(src.contains(pkg), p + " declares " + pkg);
            for (String o : backArrows(room, src)) {
                offences.add(p.getFileName() + ": " + o);
            }
            files++;
        }
        assertTrue(files > 30, "the report's sources were found: " + files);
        assertEquals(List.of(), offences, "back-arrows between the report's rooms");
    }

    @Test
    void everyRoomIsInhabited() throws IOException {
        Set<String> rooms = sources().stream().map(ReportRoomsTest::roomOf).collect(Collectors.toSet());
        assertEquals(Set.of("", "load", "judge", "render"), rooms);
    }

    @Test
    void noFileOver400Lines() throws IOException {
        List<String> long_ = new ArrayList<>();
        for (Path p : sources()) {
            long n = Files.readAllLines(p, StandardCharsets.UTF_8).size();
            if (n > MAX_LINES) {
                long_.add(p.getFileName() + " " + n);
            }
        }
        assertEquals(List.of(), long_, "report files over " + MAX_LINES + " lines");
    }

    /** A deliberately broken source: the check finds its back-arrows and leaves comments alone. */
    @Test
    void aBackArrowIsFound() {
        assertEquals(List.of("load -> judge"), backArrows("load",
                "package dev.gmpdefer.report.load;\nimport dev.gmpdefer.report.judge.Stats;\n"));
        assertEquals(List.of("judge -> render"), backArrows("judge",
                "package dev.gmpdefer.report.judge;\nclass X { Object o = dev.gmpdefer.report.render.Md.class; }\n"));
        assertFalse(backArrows("render", "import dev.gmpdefer.report.judge.*;\nimport dev.gmpdefer.report.load.*;\n")
                .size() > 0);
        assertEquals(List.of(), backArrows("load", "/** see {@link dev.gmpdefer.report.judge.Stats} */\n"
                + "// dev.gmpdefer.report.render\n"), "comments are not arrows");
    }
}
