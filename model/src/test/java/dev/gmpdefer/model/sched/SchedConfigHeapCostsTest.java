package dev.gmpdefer.model.sched;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SchedConfig#GO_HEAP_COSTS} is what its source says: the medians of go1.26.8's BenchmarkHeapCost in
 * the committed results/2026-12-07-realgo-footprints/heapcost.txt (a recalibration changes both together).
 */
class SchedConfigHeapCostsTest {
    static final Path SOURCE = Path.of("..", "results", "2026-12-07-realgo-footprints", "heapcost.txt");
    private static final Pattern LINE = Pattern.compile("^BenchmarkHeapCost/(\\S+?)-\\d+\\s+\\d+\\s+([0-9.]+) ns/op");

    private static double median(List<String> lines, String name) {
        List<Double> v = new ArrayList<>();
        for (String l : lines) {
            Matcher m = LINE.matcher(l);
            if (m.find() && m.group(1).equals(name)) {
                v.add(Double.parseDouble(m.group(2)));
            }
        }
        assertTrue(v.size() >= 3, name + ": runs in " + SOURCE + ": " + v.size());
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    @Test
    void theDefaultCostsAreTheMediansOfTheCommittedBenchmark() throws IOException {
        List<String> lines = Files.readAllLines(SOURCE);
        double fresh = median(lines, "op=malloc/mem=fresh");
        double swept = median(lines, "op=malloc/mem=swept");
        double mark = median(lines, "op=store/gc=mark");
        double idle = median(lines, "op=store/gc=idle");
        SchedConfig.HeapCosts c = SchedConfig.GO_HEAP_COSTS;
        assertEquals(swept, c.mallocNsPerObject(), 1e-9, "mallocgc per object: swept memory");
        assertEquals((fresh - swept) * 170, c.freshSpanNs(), 1e-6, "a fresh span: 170 records of 48 B");
        assertEquals(mark - idle, c.writeBarrierNs(), 1e-9, "a barrier: a store while marking minus one without");
        assertEquals(c, SchedConfig.defaults().heapCosts, "the default configuration charges them");
    }
}
