package dev.berth.runtime;

/**
 * How far a pull has come, summed over the image's layers as the engine reports them: bytes
 * downloaded of the bytes known so far ({@code total} grows as the engine learns of more layers; 0
 * while none is known).
 */
public record PullProgress(long currentBytes, long totalBytes) {

  public static final PullProgress NONE = new PullProgress(0, 0);
}
