package dev.berth.service.quota;

/** The quotas a subscription has, by ACI's usage names (what {@code .../usages} reports). */
public enum Quota {
  /** Container groups that exist (any state but being deleted). */
  CONTAINER_GROUPS("ContainerGroups", "Container Groups"),
  /** vCPU requested by the containers of those groups, in whole cores. */
  STANDARD_CORES("StandardCores", "Standard Cores");

  private final String aciName;
  private final String localizedName;

  Quota(String aciName, String localizedName) {
    this.aciName = aciName;
    this.localizedName = localizedName;
  }

  /** ACI's {@code name.value}. */
  public String aciName() {
    return aciName;
  }

  /** ACI's {@code name.localizedValue}. */
  public String localizedName() {
    return localizedName;
  }
}
