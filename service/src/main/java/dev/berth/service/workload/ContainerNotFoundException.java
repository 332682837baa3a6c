package dev.berth.service.workload;

/** The group has no container of that name. */
public class ContainerNotFoundException extends RuntimeException {
  public ContainerNotFoundException(String groupName, String containerName) {
    super(
        "The container group '" + groupName + "' has no container named '" + containerName + "'.");
  }
}
