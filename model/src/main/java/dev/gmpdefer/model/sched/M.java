package dev.gmpdefer.model.sched;

/** Placeholder, replaced by the scheduler loop. */
final class M {
}
