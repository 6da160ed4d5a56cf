package dev.gmpdefer.bench.latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each run's histogram as one JSON line: every sample in a bucket, buckets increasing, 16 per octave. */
class HistogramExportTest {

    @Test
    void oneLinePerRunHoldsEverySample() throws Exception {
        Histogram h = new Histogram(1, 60_000_000_000L, 2);
        long n = 0;
        for (long v = 100; v < 50_000_000; v = v * 11 / 10 + 1) {
            h.recordValue(v);
            n++;
        }
        Map<String, String> params = new TreeMap<>(Map.of("treatment", "defer", "procs", "4"));
        String line = HistogramExport.line("ArticleGoschedBench", params, 42, 2, h);
        assertTrue(line.endsWith("}\n"));
        JsonNode j = new ObjectMapper().readTree(line);
        assertEquals("defer", j.path("params").path("treatment").asText());
        assertEquals(2, j.path("iteration").asInt());
        assertEquals(16, j.path("bucketsPerOctave").asInt());
        long sum = 0;
        double prev = 0;
        for (JsonNode b : j.path("buckets")) {
            assertTrue(b.get(0).asDouble() > prev, "increasing upper bounds");
            prev = b.get(0).asDouble();
            sum += b.get(1).asLong();
        }
        assertEquals(n, sum, "every sample is in a bucket");
        double top = j.path("buckets").get(j.path("buckets").size() - 1).get(0).asDouble();
        double max = h.getMaxValue() / 1000.0;
        assertTrue(top >= max * 0.99 && top <= max * Math.pow(2, 1.0 / 16) * 1.02, "the max within a bucket: " + top
                + " vs " + max);
    }

    @Test
    void theProfilerRefusesAnUnknownOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SchedMetricsProfiler("histogram=/tmp/x"));
        assertTrue(e.getMessage().contains("the only option is hist=DIR"), e.getMessage());
    }
}
