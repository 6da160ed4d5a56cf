package dev.gmpdefer.model.defer;

/**
 * A Java-heap {@code _defer} record with the Go 1.14-1.21 fields (72 bytes in Go).
 *
 * <p>Models runtime2.go: type _defer (Go 1.21): adds {@code started}, {@code openDefer}, {@code _panic},
 * {@code fd}, {@code varp} and {@code framepc} to {@link DeferRecord}. With compressed oops the object is
 * 72 bytes. The extra fields are cleared on free, as Go zeroes the whole struct, but never read.
 */
final class DeferRecord72 extends DeferRecord {
    boolean started;
    boolean openDefer;
    Object panic;
    Object fd;
    long varp;
    long framepc;

    /** Models panic.go: freedefer's {@code *d = _defer{}} (Go 1.21). Executed only by the record's owner. */
    @Override
    void clear() {
        super.clear();
        started = false;
        openDefer = false;
        panic = null;
        fd = null;
        varp = 0;
        framepc = 0;
    }
}
