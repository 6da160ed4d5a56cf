package dev.gmpdefer.report;

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
    public record GoRef(String file, String function, String version, String note) {
    }

    /** One claim as the register states it. */
    public record Claim(String id, String title, String article, String kind, Verdict verdict, String reason,
                        List<String> evidence, List<GoRef> go) {
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

    static ClaimBook parse(JsonNode root) {
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
            claims.add(new Claim(c.path("id").asText(), c.path("title").asText(), c.path("article").asText(), kind,
                    v, c.path("reason").asText(""), List.copyOf(evidence), List.copyOf(go)));
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
