package dev.gmpdefer.report.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark suite's groups and classes, read from {@code gmpdefer/suite.txt}, the one place they are
 * listed (the scripts read the same file). No Go counterpart (tooling).
 */
public final class Suite {
    /** One group: its key (the scripts' mode name), title and classes in report order. */
    public record Group(String key, String title, List<String> classes) {
    }

    private static final Map<String, Group> GROUPS = load();

    private Suite() {
    }

    /** Every group, in file order. */
    public static List<Group> groups() {
        return List.copyOf(GROUPS.values());
    }

    /** The classes of group {@code key}, in report order. */
    public static List<String> classes(String key) {
        Group g = GROUPS.get(key);
        if (g == null) {
            throw new IllegalArgumentException("suite: no group " + key + "; groups: " + GROUPS.keySet());
        }
        return g.classes();
    }

    private static Map<String, Group> load() {
        try (InputStream in = Suite.class.getResourceAsStream("/gmpdefer/suite.txt")) {
            if (in == null) {
                throw new IllegalStateException("suite: gmpdefer/suite.txt is not on the classpath");
            }
            Map<String, Group> m = new LinkedHashMap<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|");
                if (f.length != 3) {
                    throw new IllegalStateException("suite.txt: expected 'key | title | classes': " + line);
                }
                List<String> classes = new ArrayList<>(Arrays.asList(f[2].strip().split("\\s+")));
                m.put(f[0].strip(), new Group(f[0].strip(), f[1].strip(), Collections.unmodifiableList(classes)));
            }
            return Collections.unmodifiableMap(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
