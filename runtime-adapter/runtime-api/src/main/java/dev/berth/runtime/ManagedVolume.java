package dev.berth.runtime;

import java.util.Map;

/** A named volume carrying Berth's labels, as a host listing shows it. */
public record ManagedVolume(String name, Map<String, String> labels) {

  public ManagedVolume {
    labels = Map.copyOf(labels);
  }
}
