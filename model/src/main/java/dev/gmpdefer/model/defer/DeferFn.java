package dev.gmpdefer.model.defer;

/**
 * A deferred function: the code that {@code defer f(arg)} runs later. Models Go's {@code fn func()} in a
 * {@code _defer} record (runtime2.go: _defer.fn, Go 1.18+), a closure whose one captured word is {@code arg}.
 *
 * <p>Create instances once, at setup (a field, a non-capturing lambda or a small class); a lambda that
 * captures per call would allocate and defeat the allocation-free strategies. Implementations must not
 * throw: panics inside deferred calls (and recover) are not modelled.
 */
@FunctionalInterface
public interface DeferFn {
    /** Runs the deferred call. Executed by the thread running the G whose chain holds the defer. */
    void run(long arg);
}
