package dev.gmpdefer.report.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The claim register with its source-based evidence, read from the resource {@code gmpdefer/claims.json}
 * (kept as data so that it can be reviewed without reading code).
 */
public final class ClaimBook {

    /** Where the register lives on the classpath. */
    public static final String RESOURCE = "/gmpdefer/claims.json";

    /** A place in Go's source a verdict rests on. */
    /**
     * The evaluators a check may name in claims.json: each judges one kind of comparison
     * ({@code dev.gmpdefer.report.judge.Checks}). One list, read by the loader (which refuses other names)
     * and the judge (which switches over it).
     */
    public enum Evaluator {
        ABSOLUTE("absolute"), RATIO("ratio"), BEYOND_CONTROL("beyondControl"), THRESHOLD("threshold"),
        LINEAR("linear"), GO_COST("goCost"), FLAME_SHARE("flameShare");

        /** The name claims.json uses. */
        public final String id;

        Evaluator(String id) {
            this.id = id;
        }

        static Evaluator of(String id) {
            for (Evaluator e : values()) {
                if (e.id.equals(id)) {
                    return e;
                }
            }
            return null;
        }
    }

    /**
     * The evidence blocks a claim may attach in claims.json ({@code dev.gmpdefer.report.judge.ClaimEvaluator}
     * computes each); their figures from the article come from the claim's {@code figures}.
     */
    public enum Attachment {
        SETUP("setup"), HYPOTHESIS("hypothesis"), ASSISTS("assists"), RECORD_BYTES("recordBytes"),
        PLAUSIBILITY("plausibility"), ALLOCATORS("allocators");

        /** The name claims.json uses. */
        public final String id;

        Attachment(String id) {
            this.id = id;
        }

        static Attachment of(String id) {
            for (Attachment a : values()) {
                if (a.id.equals(id)) {
                    return a;
                }
            }
            return null;
        }
    }

    private static String ids(java.util.stream.Stream<String> ids) {
        return ids.collect(java.util.stream.Collectors.joining(", "));
    }

    public record GoRef(String file, String function, String version, String note) {
    }

    /**
     * One measured comparison of a claim, as data (issue 12, item 4): which evaluator judges it
     * ({@link Checks}), the article's figure, and where the figure is measured.
     *
     * @param evaluator  absolute, ratio, beyondControl, threshold, linear or goCost (see {@link Evaluator})
     * @param label      what is compared, in words ("P95 without defers")
     * @param bench      the model's benchmark class (real Go measures the same workload under the name without
     *                   "Bench")
     * @param metric     the model's metric (a JMH secondary metric, or "primary" for the score)
     * @param treatment  the treatment measured (absolute, threshold) or the numerator (ratio, beyondControl)
     * @param control    the denominator treatment (ratio, beyondControl); empty otherwise
     * @param article    the article's figure (a value, a ratio, a threshold)
     * @param op         threshold: "&gt;" or "&lt;"
     * @param goMetric   real Go's figure when it differs from the model's metric name ("own.mean": the
     *                   workload's own timestamps); empty: the same metric; "-": real Go does not measure it
     * @param goCost     goCost / linear: the prefix of real Go's cost row ("chain", "1 defer")
     * @param strategy   the model's defer strategy under the configuration rule (DeferChainBench)
     */
    public record Check(Evaluator evaluator, String label, String bench, String metric, String treatment,
                        String control, double article, String op, String goMetric, String goCost,
                        String strategy) {
    }

    /** One claim as the register states it. */
    public record Claim(String id, String title, String article, String kind, Verdict verdict, String reason,
                        List<String> evidence, List<GoRef> go, List<Check> checks, List<Attachment> attach,
                        Map<String, Double> figures) {
        /** Whether the verdict is computed from measurements. */
        public boolean measured() {
            return "measured".equals(kind);
        }
    }

    /** One of Go's published defer costs (reference item 23). */
    public record Published(String key, String label, double ns) {
    }

    private final List<Claim> claims;
    private final Map<String, Published> published;

    private ClaimBook(List<Claim> claims, Map<String, Published> published) {
        this.claims = claims;
        this.published = published;
    }

    /** Loads the register from the classpath. */
    public static ClaimBook load() {
        try (InputStream in = ClaimBook.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("ClaimBook.load: resource " + RESOURCE + " not on the classpath");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("ClaimBook.load: cannot read " + RESOURCE, e);
        }
    }

    public static ClaimBook parse(JsonNode root) {
        List<Claim> claims = new ArrayList<>();
        for (JsonNode c : root.path("claims")) {
            String kind = c.path("kind").asText();
            Verdict v;
            switch (kind) {
                case "measured":
                    v = null;
                    break;
                case "notTestable":
                    v = Verdict.NOT_TESTABLE;
                    break;
                case "source":
                    v = Verdict.ofLabel(c.path("verdict").asText());
                    break;
                default:
                    throw new IllegalArgumentException("claims.json: claim " + c.path("id").asText()
                            + " has kind '" + kind + "'; valid: measured, source, notTestable");
            }
            List<String> evidence = new ArrayList<>();
            for (JsonNode e : c.path("evidence")) {
                evidence.add(e.asText());
            }
            List<GoRef> go = new ArrayList<>();
            for (JsonNode g : c.path("go")) {
                go.add(new GoRef(g.path("file").asText(), g.path("function").asText(), g.path("version").asText(),
                        g.path("note").asText("")));
            }
            List<Check> checks = new ArrayList<>();
            for (JsonNode k : c.path("checks")) {
                String name = k.path("evaluator").asText();
                Evaluator ev = Evaluator.of(name);
                if (ev == null) {
                    throw new IllegalArgumentException("claims.json: claim " + c.path("id").asText()
                            + " has a check with evaluator '" + name + "'; valid: " + ids(java.util.Arrays.stream(Evaluator.values()).map(e -> e.id)));
                }
                checks.add(new Check(ev, k.path("label").asText(), k.path("bench").asText(""),
                        k.path("metric").asText(""), k.path("treatment").asText(""), k.path("control").asText(""),
                        k.path("article").isNumber() ? k.path("article").asDouble() : Double.NaN,
                        k.path("op").asText(""), k.path("goMetric").asText(""), k.path("goCost").asText(""),
                        k.path("strategy").asText("")));
            }
            if ("measured".equals(kind) && checks.isEmpty()) {
                throw new IllegalArgumentException("claims.json: measured claim " + c.path("id").asText()
                        + " has no checks");
            }
            List<Attachment> attach = new ArrayList<>();
            for (JsonNode a : c.path("attach")) {
                Attachment at = Attachment.of(a.asText());
                if (at == null) {
                    throw new IllegalArgumentException("claims.json: claim " + c.path("id").asText() + " attaches '"
                            + a.asText() + "'; valid: " + ids(java.util.Arrays.stream(Attachment.values()).map(x -> x.id)));
                }
                attach.add(at);
            }
            Map<String, Double> figures = new java.util.TreeMap<>();
            c.path("figures").fields().forEachRemaining(f -> figures.put(f.getKey(), f.getValue().asDouble()));
            claims.add(new Claim(c.path("id").asText(), c.path("title").asText(), c.path("article").asText(), kind,
                    v, c.path("reason").asText(""), List.copyOf(evidence), List.copyOf(go), List.copyOf(checks),
                    List.copyOf(attach), Map.copyOf(figures)));
        }
        Map<String, Published> pub = new LinkedHashMap<>();
        for (JsonNode p : root.path("goPublished")) {
            double ns = p.path("ns").isNumber() ? p.path("ns").asDouble() : Double.NaN;
            pub.put(p.path("key").asText(), new Published(p.path("key").asText(), p.path("label").asText(), ns));
        }
        return new ClaimBook(Collections.unmodifiableList(claims), Collections.unmodifiableMap(pub));
    }

    /** The claims in register order (C1..C22). */
    public List<Claim> claims() {
        return claims;
    }

    /** One claim by id. */
    public Claim claim(String id) {
        return claims.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("ClaimBook.claim: unknown claim id " + id));
    }

    /** Go's published figure for an allocator strategy key (or "baseline"), or null. */
    public Published published(String key) {
        return published.get(key);
    }
}
