package dev.gmpdefer.model.defer;

import java.util.Arrays;

/** A deferred function that logs its argument, so tests can check order and exactly-once execution. */
final class Recorder implements DeferFn {
    long[] log = new long[16];
    int n;

    @Override
    public void run(long arg) {
        if (n == log.length) {
            log = Arrays.copyOf(log, n * 2);
        }
        log[n++] = arg;
    }

    long[] calls() {
        return Arrays.copyOf(log, n);
    }

    void reset() {
        n = 0;
    }
}
