package dev.gmpdefer.model.sched;

/** A {@link StealObserver} for single-threaded tests: what the last steal moved. */
final class Steals implements StealObserver {
    int count;
    boolean runnext;
    int steals;

    @Override
    public void stolen(int count, boolean runnext) {
        this.count = count;
        this.runnext = runnext;
        steals++;
    }
}
