package dev.gmpdefer.bench.latency;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JVM's own collections, from the GC MXBeans: how many and how long (the beans' accumulated
 * collection time, which for G1's and Parallel's young and full collections is their pause time).
 * No Go counterpart: it checks that the JVM's collector did not pause the model's Ms in a measured run.
 */
final class JvmGc {
    private JvmGc() {
    }

    /** Collections so far, over every collector of this JVM. */
    static long count() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
        }
        return n;
    }

    /** Milliseconds of collection so far, over every collector of this JVM. */
    static long millis() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionTime());
        }
        return n;
    }
}
