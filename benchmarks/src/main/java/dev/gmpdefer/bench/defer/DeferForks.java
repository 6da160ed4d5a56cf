package dev.gmpdefer.bench.defer;

/**
 * The JVM options of every defer benchmark fork, in one place. A fixed heap (-Xms equal to -Xmx, a fixed
 * young generation, pages touched at start) so that allocation-heavy forks (HEAP) do not differ from each
 * other by page faults and heap resizing: the committed HEAP figure at 8 defers once came from a fork with
 * 0 GCs and a tenth of the allocation rate of the others (221 ns against 17 ns). No Go counterpart.
 */
final class DeferForks {
    private DeferForks() {
    }

    static final String ADD_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    static final String XMS = "-Xms1g";
    static final String XMX = "-Xmx1g";
    static final String XMN = "-Xmn256m";
    static final String PRETOUCH = "-XX:+AlwaysPreTouch";
    /** Only for {@link DeferAllocUncheckedBench}: Agrona's bounds checks off. */
    static final String NO_BOUNDS_CHECKS = "-Dagrona.disable.bounds.checks=true";
}
