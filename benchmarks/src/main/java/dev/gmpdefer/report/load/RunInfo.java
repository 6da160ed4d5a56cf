package dev.gmpdefer.report.load;

/**
 * One run folder {@code results/<YYYY-MM-DD>-<label>/} and the environment its {@code env.json} describes.
 * Fields the folder does not describe are "unknown".
 *
 * @param name     the folder name, e.g. "2026-11-27-quick"
 * @param date     when the run started (from env.json), or the folder's date prefix
 * @param machine  nproc, CPU model and memory, in words
 * @param jdk      the JDK (java -version's first lines, or JMH's jdkVersion/vmName)
 * @param commit   git commit and dirty flag
 * @param jmhArgs  the JMH command line options the run used
 * @param mode     quick/full/allocators/custom, as the script recorded it
 */
public record RunInfo(String name, String date, String machine, String jdk, String commit, String jmhArgs,
                      String mode) {
}
