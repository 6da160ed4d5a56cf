package dev.gmpdefer.report.load;

import java.util.Map;
import java.util.SortedMap;

/**
 * One benchmark result from a JMH JSON file: which benchmark (class and method), with which parameters,
 * its primary score and its secondary metrics, and the run folder it came from.
 *
 * @param run       the run folder the JSON file lies in
 * @param file      the JSON file's name within the run folder
 * @param benchmark the fully qualified benchmark name, {@code FQCN.method}
 * @param mode      JMH mode ("avgt", "thrpt", "sample", "ss")
 * @param params    the {@code @Param} values, sorted by name
 * @param primary   the primary metric
 * @param secondary the secondary metrics by name, sorted
 * @param jdkVersion the JDK version JMH recorded
 * @param vmName    the VM name JMH recorded
 */
public record JmhEntry(RunInfo run, String file, String benchmark, String mode, SortedMap<String, String> params,
                       Metric primary, SortedMap<String, Metric> secondary, String jdkVersion, String vmName) {

    /** The simple class name, e.g. "ArticleGoschedBench" (what users type). */
    public String benchClass() {
        String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    /** The benchmark method name. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** A parameter value, or null. */
    public String param(String name) {
        return params.get(name);
    }

    /** A secondary metric, or null. */
    public Metric metric(String name) {
        return secondary.get(name);
    }

    /** Identity of a measurement regardless of the run it came from: benchmark, mode and parameters. */
    public String key() {
        return benchmark + " " + mode + " " + params;
    }

    /** Parameters as "k=v, k=v" in name order. */
    public String paramString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }
}
