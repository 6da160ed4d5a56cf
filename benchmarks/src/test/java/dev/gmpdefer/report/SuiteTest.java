package dev.gmpdefer.report;

import dev.gmpdefer.report.load.*;
import dev.gmpdefer.report.judge.*;
import dev.gmpdefer.report.render.*;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** suite.txt is the one list of the suite: it names exactly the benchmark classes the build generates. */
class SuiteTest {
    @Test
    void theSuiteListsEveryBenchmarkClassAndNothingElse() {
        Set<BenchmarkListEntry> all = BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of());
        Set<String> built = all.stream().map(e -> {
            String q = e.getUserClassQName();
            return q.substring(q.lastIndexOf('.') + 1);
        }).collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed = Suite.groups().stream().flatMap(g -> g.classes().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(built, listed, "suite.txt vs the JMH benchmark list");
        assertEquals(Cells.LATENCY_BENCHES, Suite.classes("latency"));
        assertTrue(Suite.groups().stream().map(Suite.Group::key).collect(Collectors.toList())
                .containsAll(List.of("runq", "defer", "latency")), "the scripts' modes");
    }
}
