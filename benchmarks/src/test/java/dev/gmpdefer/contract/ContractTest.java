package dev.gmpdefer.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gmpdefer.model.metrics.RunMetrics;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Param;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The measurement contract (issue 21, item 2) against what publishes and what is committed: the model's
 * metrics, the benchmarks' own (setup, sink, aux counters), every {@code @Param} of the suite, realgo's run
 * record, and the units in the committed JMH JSON.
 */
class ContractTest {
    private static final Path BENCH_SRC = Paths.get("src/main/java/dev/gmpdefer/bench");
    private static final Path REALGO = Paths.get("../realgo/measure.go");
    private static final Path RESULTS = Paths.get("../results");
    /** The secondary metrics JMH itself writes (SampleTime percentiles, -prof gc, @Group thread names). */
    private static final Pattern JMH_OWN = Pattern.compile(
            "p\\d\\.\\d+|gc\\.alloc\\.rate(\\.norm)?|gc\\.count|gc\\.time|gc\\.churn.*|ping|pong|owner|thief");

    /** The metric names a list of sources publishes as literals (putExtra, m.put, ScalarResult). */
    private static Set<String> literals() throws IOException {
        Pattern p = Pattern.compile("(?:putExtra|m\\.put|new ScalarResult)\\(\"([^\"]+)\"");
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.walk(BENCH_SRC)) {
            for (Path f : s.filter(x -> x.toString().endsWith(".java")).collect(Collectors.toList())) {
                Matcher m = p.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    private static List<Class<?>> benchmarkClasses() throws IOException {
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(BENCH_SRC)) {
            for (Path f : s.filter(x -> x.toString().endsWith(".java")).collect(Collectors.toList())) {
                String name = "dev.gmpdefer.bench." + BENCH_SRC.relativize(f).toString()
                        .replace('/', '.').replaceAll("\\.java$", "");
                try {
                    Class<?> c = Class.forName(name, false, ContractTest.class.getClassLoader());
                    out.add(c);
                    out.addAll(List.of(c.getDeclaredClasses()));
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(name, e);
                }
            }
        }
        return out;
    }

    @Test
    void theModelPublishesOnlyDeclaredMetrics() {
        List<String> undeclared = new ArrayList<>();
        for (String k : new RunMetrics().toScalars().keySet()) {
            Metrics.Spec s = Metrics.of(k);
            if (s == null || s.source() != Metrics.Source.MODEL) {
                undeclared.add(k);
            }
        }
        assertEquals(List.of(), undeclared, "RunMetrics publishes metrics the contract does not declare as the model's");
    }

    @Test
    void theBenchmarksPublishOnlyDeclaredMetrics() throws IOException {
        Set<String> names = literals();
        assertTrue(names.contains("control.scale") && names.contains("jvm.gc.pause.ms"), "the scan finds them: " + names);
        List<String> undeclared = names.stream().filter(n -> Metrics.of(n) == null).collect(Collectors.toList());
        assertEquals(List.of(), undeclared, "the benchmarks publish metrics the contract does not declare");
        List<String> aux = new ArrayList<>();
        for (Class<?> c : benchmarkClasses()) {
            if (c.isAnnotationPresent(AuxCounters.class)) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isPublic(f.getModifiers()) && !Modifier.isStatic(f.getModifiers())) {
                        Metrics.Spec s = Metrics.of(f.getName());
                        if (s == null || !Metrics.AUX.equals(s.unit())) {
                            aux.add(c.getSimpleName() + "." + f.getName());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), aux, "@AuxCounters fields the contract does not declare");
    }

    @Test
    void everyParamOfTheSuiteIsDeclared() throws IOException {
        Set<String> params = new TreeSet<>();
        for (Class<?> c : benchmarkClasses()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(Param.class)) {
                    params.add(f.getName());
                    for (String v : f.getAnnotation(Param.class).value()) {
                        if (v.equals(Param.BLANK_ARGS)) {
                            continue; // no values given: JMH runs every enum constant
                        }
                        Parameter p = Parameter.of(f.getName());
                        assertNotNull(p, c.getSimpleName() + "." + f.getName() + " is not a contract parameter");
                        assertEquals(p.check(v), p.check(p.check(v)), "canonical values are fixed points: " + v);
                    }
                }
            }
        }
        assertTrue(params.contains("gogc") && params.contains("treatment"), "the scan finds them: " + params);
    }

    @Test
    void gogcHasOneParserAndOneDefault() {
        assertEquals(-1, Parameter.gogc("off"));
        assertEquals(100, Parameter.gogc(Parameter.GOGC_DEFAULT));
        assertEquals("off", Parameter.GOGC.check("OFF"));
        assertThrows(IllegalArgumentException.class, () -> Parameter.GOGC.check("-5"));
        assertEquals(Parameter.GOGC_DEFAULT, Parameter.GOGC.defaultValue);
    }

    @Test
    void realGoPublishesOnlyDeclaredFields() throws IOException {
        String src = Files.readString(REALGO, StandardCharsets.UTF_8);
        Set<String> fields = new TreeSet<>();
        for (String type : new String[] {"Latency", "Run"}) {
            Matcher body = Pattern.compile("type " + type + " struct \\{(.*?)\\n\\}", Pattern.DOTALL).matcher(src);
            assertTrue(body.find(), "realgo's " + type + " struct");
            Matcher f = Pattern.compile("\\n\\s+\\w+\\s+(?:float64|u?int\\d*|\\[\\]float64)\\s+`json:\"(\\w+)")
                    .matcher(body.group(1));
            while (f.find()) {
                fields.add(f.group(1));
            }
        }
        assertTrue(fields.contains("cpuMs") && fields.contains("p95Us"), "the scan finds them: " + fields);
        List<String> undeclared = fields.stream().filter(n -> Metrics.goField(n) == null).collect(Collectors.toList());
        assertEquals(List.of(), undeclared, "realgo's run record has numeric fields the contract does not declare");
        for (Metrics.Spec s : Metrics.all()) {
            if (s.source() == Metrics.Source.GO) {
                assertTrue(fields.contains(s.name()), "declared realgo field " + s.name() + " is in measure.go");
            } else if (!s.go().isEmpty() && !s.go().equals("waitByCause")) {
                String field = s.go().replaceFirst("^(own|slices)\\.", "");
                Metrics.Spec g = Metrics.goField(field);
                assertNotNull(g, s.name() + " names realgo field " + s.go());
                assertEquals(s.unit(), g.unit(), s.name() + " and realgo's " + s.go() + " carry one unit");
            }
        }
    }

    /** Names that say their unit carry it: .ms / Ms in ms, .us / Us in µs, .ns in ns, .mb / Mb in MB. */
    @Test
    void unitsMatchTheNames() {
        Map<String, String> suffix = Map.of("ms", Metrics.MS, "us", Metrics.US, "ns", Metrics.NS, "mb", Metrics.MB);
        for (Metrics.Spec s : Metrics.all()) {
            String n = s.name().toLowerCase(java.util.Locale.ROOT);
            for (Map.Entry<String, String> e : suffix.entrySet()) {
                if (n.endsWith("." + e.getKey()) || (s.source() == Metrics.Source.GO && n.endsWith(e.getKey()))) {
                    assertEquals(e.getValue(), s.unit(), s.name());
                }
            }
        }
    }

    @Test
    void committedJsonCarriesTheContractsUnits() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> wrong = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        int checked = 0;
        try (Stream<Path> s = Files.walk(RESULTS, 2)) {
            for (Path f : s.filter(x -> x.toString().endsWith(".json")).sorted().collect(Collectors.toList())) {
                JsonNode root = json.readTree(f.toFile());
                if (root == null || !root.isArray()) {
                    continue;
                }
                for (JsonNode b : root) {
                    Iterator<Map.Entry<String, JsonNode>> it = b.path("secondaryMetrics").fields();
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> e = it.next();
                        Metrics.Spec spec = Metrics.of(e.getKey());
                        String unit = e.getValue().path("scoreUnit").asText();
                        if (spec == null) {
                            if (!JMH_OWN.matcher(e.getKey()).matches()) {
                                unknown.add(e.getKey());
                            }
                        } else if (!spec.unit().equals(unit)) {
                            wrong.add(RESULTS.relativize(f) + " " + e.getKey() + ": " + unit + ", not " + spec.unit());
                        } else {
                            checked++;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 1000, "committed metrics checked: " + checked);
        assertEquals(Set.of(), unknown, "committed metrics the contract does not declare");
        assertEquals(List.of(), wrong.stream().limit(20).collect(Collectors.toList()), wrong.size() + " wrong units");
    }

    @Test
    void bothSidesRunTheDeclaredTreatments() throws IOException {
        List<String> model = java.util.Arrays.stream(dev.gmpdefer.model.workload.Treatment.values())
                .map(dev.gmpdefer.model.workload.Treatment::id).collect(Collectors.toList());
        assertEquals(Treatments.model(), model, "the model's Treatment enum, in declaration order");
        String treat = Files.readString(Paths.get("../realgo/treat.go"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\\w+\\s+treatment\\s*=\\s*\"(\\w+)\"").matcher(treat);
        List<String> go = new ArrayList<>();
        while (m.find()) {
            go.add(m.group(1));
        }
        assertEquals(Treatments.go(), go, "realgo's treatment constants (treat.go), in declaration order");
    }

    /** A broken publisher: an undeclared metric gets no unit but an error naming it. */
    @Test
    void anUndeclaredMetricIsRefused() {
        assertNull(Metrics.of("sched.latency.p42"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.unitOf("no.such.ms"));
        assertTrue(e.getMessage().contains("no.such.ms"), e.getMessage());
        assertEquals(Metrics.US, Metrics.unitOf("wait.cause.idle.us"));
        assertNull(Metrics.of("wait.cause.nonsense.us"), "a cause must be a WaitCause id");
    }
}
