package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JMH JSON in Go's benchmark format: one line per fork, its iterations' median, in ns/op. */
class GoBenchFormatTest {
    @Test
    void oneLinePerForkInNs(@TempDir Path dir) throws IOException {
        ObjectNode e = Fixtures.entry("dev.gmpdefer.bench.defer.DeferAllocBench.defer",
                Map.of("strategy", "HEAP", "defersPerCall", "8"), 0.02, 0.001, "us/op");
        ArrayNode raw = ((ObjectNode) e.get("primaryMetric")).putArray("rawData");
        raw.addArray().add(0.010).add(0.030).add(0.020);
        raw.addArray().add(0.040).add(0.050);
        Path f = Fixtures.write(dir, "run", "DeferAllocBench.json", e);
        assertEquals(List.of("BenchmarkDeferAlloc/defer/defersPerCall=8/strategy=HEAP\t1\t20.0000 ns/op",
                "BenchmarkDeferAlloc/defer/defersPerCall=8/strategy=HEAP\t1\t45.0000 ns/op"), GoBenchFormat.lines(f));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, GoBenchFormat.run(new String[] {"/no/such.json"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("GoBenchFormat: /no/such.json"));
    }
}
