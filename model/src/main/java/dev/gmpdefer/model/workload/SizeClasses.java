package dev.gmpdefer.model.workload;

/**
 * Go's small-object size classes up to 512 bytes (sizeclasses.go, Go 1.21): what an allocation of n
 * bytes really takes from the heap, and so what it adds to heapLive.
 */
final class SizeClasses {
    private static final int[] CLASSES = {8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224,
        240, 256, 288, 320, 352, 384, 416, 448, 480, 512};

    private SizeClasses() {
    }

    /** The size class of an object of {@code bytes} (1..512). */
    static long roundUp(long bytes) {
        if (bytes < 1 || bytes > 512) {
            throw new IllegalArgumentException("size class: bytes must be in 1..512: " + bytes);
        }
        for (int c : CLASSES) {
            if (bytes <= c) {
                return c;
            }
        }
        throw new IllegalStateException("size class: unreachable");
    }
}
