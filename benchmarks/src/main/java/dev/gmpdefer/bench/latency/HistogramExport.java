package dev.gmpdefer.bench.latency;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * Writes each measured scheduler run's scheduling-latency histogram into the run folder, one JSON line per
 * run, so that the report can draw latency distributions (issue 12, item 5). The file is
 * {@code <dir>/<BenchClass>.jsonl}; each line is
 * <pre>{"benchmark":"ArticleGoschedBench","params":{"procs":"4",...},"fork":"&lt;pid&gt;","iteration":1,
 *  "unit":"us","bucketsPerOctave":16,"buckets":[[upperUs,count],...]}</pre>
 * with only the non-empty buckets. The buckets are logarithmic, {@value #BUCKETS_PER_OCTAVE} per power of
 * two from {@value #FIRST_BUCKET_NS} ns, the resolution of Go's {@code /sched/latencies:seconds} histogram
 * (runtime/histogram.go: 16 sub-buckets per power of two), which realgo exports the same way
 * ({@code schedHist}). The model's histogram (HdrHistogram, 2 significant digits) is finer, so each value
 * falls in exactly one bucket; a bucket's upper bound stands for its values, as Go's do.
 */
final class HistogramExport {
    static final int BUCKETS_PER_OCTAVE = 16;
    static final long FIRST_BUCKET_NS = 64;

    private HistogramExport() {
    }

    /** The non-empty buckets of {@code h} (ns values) as {@code [[upperUs,count],...]}. */
    static String buckets(Histogram h) {
        StringBuilder sb = new StringBuilder("[");
        if (h.getTotalCount() > 0) {
            double base = Math.pow(2, 1.0 / BUCKETS_PER_OCTAVE);
            boolean first = true;
            for (HistogramIterationValue v : h.logarithmicBucketValues(FIRST_BUCKET_NS, base)) {
                long c = v.getCountAddedInThisIterationStep();
                if (c == 0) {
                    continue;
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append('[').append(String.format(Locale.ROOT, "%.4g", v.getValueIteratedTo() / 1000.0))
                        .append(',').append(c).append(']');
            }
        }
        return sb.append(']').toString();
    }

    /** One JSON line for one run of {@code benchmark} with {@code params}. */
    static String line(String benchmark, Map<String, String> params, long fork, int iteration, Histogram h) {
        StringBuilder sb = new StringBuilder("{\"benchmark\":\"").append(benchmark).append("\",\"params\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
        }
        sb.append("},\"fork\":\"").append(fork).append("\",\"iteration\":").append(iteration)
                .append(",\"unit\":\"us\",\"bucketsPerOctave\":").append(BUCKETS_PER_OCTAVE)
                .append(",\"buckets\":").append(buckets(h)).append("}\n");
        return sb.toString();
    }

    /** Appends {@code line} to {@code <dir>/<benchmark>.jsonl} (forks run one after another). */
    static void append(Path dir, String benchmark, String line) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(benchmark + ".jsonl"), line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the latency histogram to " + dir, e);
        }
    }
}
