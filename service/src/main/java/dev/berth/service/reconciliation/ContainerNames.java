package dev.berth.service.reconciliation;

import java.util.UUID;

/**
 * Deterministic engine names: the same group and container always give the same name, so a create
 * retried after a crash finds the first attempt instead of making a duplicate.
 */
public final class ContainerNames {

  private ContainerNames() {}

  public static String of(UUID groupId, String containerName) {
    return "berth-" + groupId + "-" + containerName;
  }
}
