package dev.berth.service.host;

import java.util.List;

/** A host cannot be removed while groups hold room on it. */
public class HostNotEmpty extends RuntimeException {

  private final List<String> groups;

  public HostNotEmpty(String hostId, List<String> groups) {
    super(
        "Host "
            + hostId
            + " still has "
            + groups.size()
            + " group(s) placed on it: "
            + String.join(", ", groups.subList(0, Math.min(groups.size(), 20)))
            + (groups.size() > 20 ? ", ..." : "")
            + ". Drain it first, or remove it with force=true to treat it as lost.");
    this.groups = List.copyOf(groups);
  }

  public List<String> groups() {
    return groups;
  }
}
