package dev.berth.runtime;

/**
 * A named volume mounted into a container.
 *
 * @param volume the engine's volume name
 * @param path where it appears in the container
 */
public record VolumeMount(String volume, String path, boolean readOnly) {}
