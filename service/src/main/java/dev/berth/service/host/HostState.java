package dev.berth.service.host;

/**
 * What a host is doing, as the hosts API shows it: the operator's wish (Ready, Cordoned, Draining)
 * unless its health overrides it (Silent, Lost).
 */
public enum HostState {
  /** Answers and takes new groups. */
  READY("Ready"),
  /** Answers; takes no new groups; its groups stay. */
  CORDONED("Cordoned"),
  /** Takes no new groups; its groups are being moved elsewhere one at a time. */
  DRAINING("Draining"),
  /**
   * Its last ping was not answered (or it never answered yet): no new groups, its groups stay and
   * are not billed past its last answer.
   */
  SILENT("Silent"),
  /**
   * Silent for longer than {@code berth.hosts.lost-after}: its groups are placed again elsewhere.
   * It stays Lost after it answers again until every stale container on it was killed.
   */
  LOST("Lost");

  private final String apiName;

  HostState(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  /** Whether the operator can ask for this state (the others are health). */
  public boolean isAdministrative() {
    return this == READY || this == CORDONED || this == DRAINING;
  }
}
