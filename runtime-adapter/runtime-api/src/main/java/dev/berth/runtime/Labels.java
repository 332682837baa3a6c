package dev.berth.runtime;

/**
 * Ownership labels on every container Berth creates. With deterministic names they make every
 * create retryable and let a restarted service adopt, or collect, what it finds on a host.
 */
public final class Labels {
  /** Present (value "true") on every container Berth manages. */
  public static final String MANAGED = "dev.berth.managed";

  /**
   * The subscription, resource group and name of the container's group, for operators reading
   * {@code docker ps}.
   */
  public static final String SUBSCRIPTION = "dev.berth.subscription";

  public static final String RESOURCE_GROUP = "dev.berth.resource-group";
  public static final String GROUP_NAME = "dev.berth.group-name";

  /** The Berth installation (database) that owns the container. */
  public static final String INSTALLATION = "dev.berth.installation";

  /** The container group's id. */
  public static final String GROUP_ID = "dev.berth.group-id";

  /** The container's name within its group. */
  public static final String CONTAINER = "dev.berth.container";

  /** The group spec generation the container was created for. */
  public static final String GENERATION = "dev.berth.generation";

  private Labels() {}
}
