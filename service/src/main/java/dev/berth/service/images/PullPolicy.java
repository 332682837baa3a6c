package dev.berth.service.images;

import java.util.Locale;
import java.util.Optional;

/** When an image already on a host is pulled again (Kubernetes' imagePullPolicy). */
public enum PullPolicy {
  /** Only when the host lacks it, or its tag is {@code latest} or absent. The default. */
  IF_NOT_PRESENT("IfNotPresent"),
  /** At every launch of a container. */
  ALWAYS("Always");

  private final String setting;

  PullPolicy(String setting) {
    this.setting = setting;
  }

  public String setting() {
    return setting;
  }

  public static Optional<PullPolicy> named(String setting) {
    for (PullPolicy p : values()) {
      if (p.setting.toLowerCase(Locale.ROOT).equals(setting.toLowerCase(Locale.ROOT))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Whether a launch of {@code image} pulls even when the host has it. */
  public boolean pullsAgain(ImageReference image) {
    return this == ALWAYS || image.isMutable();
  }
}
