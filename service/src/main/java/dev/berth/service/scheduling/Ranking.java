package dev.berth.service.scheduling;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the scheduler orders the hosts that can take a group. Either way the group's preferred host
 * (where its containers last lived) leads when it fits, and equal hosts are taken in id order.
 */
public enum Ranking {

  /**
   * The host left fullest by the placement first (highest utilisation after placement): groups are
   * packed onto few hosts, so a large group still finds an empty host later.
   */
  BINPACK,

  /**
   * The host left emptiest by the placement first (lowest utilisation after placement): groups are
   * spread over every host, so losing one host touches fewer groups.
   */
  SPREAD;

  /** The ranking a setting names ({@code binpack}, {@code spread}; any case), if any. */
  public static Optional<Ranking> named(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String wanted = name.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(r -> r.name().equals(wanted)).findFirst();
  }

  /** The setting's spelling of this ranking. */
  public String settingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every ranking as a setting spells it: "binpack, spread". */
  public static String settingNames() {
    return Arrays.stream(values()).map(Ranking::settingName).collect(Collectors.joining(", "));
  }
}
