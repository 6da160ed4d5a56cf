package dev.gmpdefer.model.sched;

import java.util.concurrent.locks.LockSupport;

/**
 * The system monitor: a thread without a P that preempts Gs running too long.
 *
 * <p>Models proc.go: sysmon and retake (Go 1.21), reduced to preemption: sleep 20 µs, doubling the
 * sleep after 1 ms (50 rounds) without anything to retake, capped at 10 ms; a running P whose
 * schedtick has not moved for {@code forcePreemptNS} gets its G's preempt flag set (preemptone).
 * Like Go's retake, a preemption does not count as "retaken" (only syscall hand-offs do, which the
 * model has not), so with only CPU-bound Gs sysmon backs off to 10 ms polls and real slices are
 * 10-20 ms. Sleeping uses {@link LockSupport#parkNanos}, which, like Go's usleep, includes the OS
 * timer slack.
 */
final class Sysmon implements Runnable {
    private final Sched sched;
    private final Thread thread;

    Sysmon(Sched sched) {
        this.sched = sched;
        this.thread = new Thread(this, "gmpdefer-sysmon");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void join() {
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** proc.go: sysmon (Go 1.21). Executed by sysmon only. */
    @Override
    public void run() {
        long delay = 0;
        int idle = 0;
        while (!sched.stopping()) {
            if (idle == 0) { // start with 20us sleep...
                delay = SchedConfig.GO_SYSMON_MIN_DELAY_NS;
            } else if (idle > 50) { // start doubling the sleep after 1ms...
                delay *= 2;
            }
            if (delay > SchedConfig.GO_SYSMON_MAX_DELAY_NS) { // up to 10ms
                delay = SchedConfig.GO_SYSMON_MAX_DELAY_NS;
            }
            LockSupport.parkNanos(delay);
            if (retake(System.nanoTime()) != 0) {
                idle = 0;
            } else {
                idle++;
            }
        }
    }

    /**
     * Preempts Gs that have run one slice for longer than forcePreemptNS.
     * Models proc.go: retake (Go 1.21), without the syscall hand-off. Executed by sysmon only.
     *
     * @return the number of Ps retaken from syscalls: always 0 in the model
     */
    int retake(long now) {
        final long force = sched.config.forcePreemptNs;
        for (P pp : sched.allp) {
            if (!pp.isRunning()) {
                continue;
            }
            int t = pp.schedtick();
            if (pp.sysmonSchedtick != t) {
                pp.sysmonSchedtick = t;
                pp.sysmonSchedwhen = now;
            } else if (pp.sysmonSchedwhen + force <= now) {
                preemptone(pp, now);
            }
        }
        return 0;
    }

    /**
     * proc.go: preemptone (Go 1.21): flags the P's current G, every time sysmon finds its slice too long,
     * whether or not it was flagged already (Go sets gp.preempt and sends the signal again). The time of
     * the first request is kept for the preemption-latency metric. Executed by sysmon only.
     */
    private void preemptone(P pp, long now) {
        G gp = pp.curg();
        if (gp == null) {
            return; // nothing running
        }
        sched.preemptRequests.incrementAndGet();
        gp.requestPreempt(now);
    }
}
