package dev.berth.runtime;

/**
 * The outcome of a command run inside a container.
 *
 * @param exitCode the command's exit code; null when it was still running at the deadline
 * @param truncated whether output beyond the size limit was dropped
 */
public record ExecResult(Integer exitCode, String stdout, String stderr, boolean truncated) {}
