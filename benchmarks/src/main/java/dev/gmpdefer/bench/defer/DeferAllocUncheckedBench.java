package dev.gmpdefer.bench.defer;

import org.openjdk.jmh.annotations.Fork;

/**
 * Question: what do Agrona's bounds checks cost the off-heap strategy? {@link DeferAllocBench} itself, in
 * forks started with {@code -Dagrona.disable.bounds.checks=true}; run it with {@code -p strategy=OFFHEAP}
 * (the other strategies do not touch Agrona buffers) and compare with DeferAllocBench's checked OFFHEAP
 * rows of the same run. Claims C17 (cost per defer) and C11 (48-byte records). Bounds checks stay on
 * everywhere else, and in the tests.
 */
@Fork(value = 1, jvmArgsAppend = {DeferForks.ADD_EXPORTS, DeferForks.XMS, DeferForks.XMX, DeferForks.XMN,
        DeferForks.PRETOUCH, DeferForks.NO_BOUNDS_CHECKS})
public class DeferAllocUncheckedBench extends DeferAllocBench {
}
