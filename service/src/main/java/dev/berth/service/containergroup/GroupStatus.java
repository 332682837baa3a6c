package dev.berth.service.containergroup;

import dev.berth.service.scheduling.Placement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A group's observed state: what the reconciler last saw and did. Only the reconciler writes it
 * (the API creates the first one).
 *
 * @param observedGeneration the spec generation this status describes
 * @param hostId the host the group's containers live on, or null before placement
 * @param ipAddress the host address the group's ports are published on, or null when none
 * @param initContainers what was seen of the init containers, in order
 * @param appliedRestartEpoch the last restart action carried out ({@link
 *     ContainerGroup#restartEpoch()})
 */
public record GroupStatus(
    UUID groupId,
    long observedGeneration,
    ProvisioningState provisioningState,
    GroupState state,
    String hostId,
    String ipAddress,
    List<ContainerStatus> containers,
    List<GroupEvent> events,
    Instant updatedAt,
    long appliedRestartEpoch,
    List<ContainerStatus> initContainers) {

  public GroupStatus {
    containers = List.copyOf(containers);
    events = List.copyOf(events);
    initContainers = initContainers == null ? List.of() : List.copyOf(initContainers);
  }

  /**
   * The status of a group just accepted for its generation and placed as {@code placement} says.
   */
  public static GroupStatus accepted(ContainerGroup group, Placement placement, Instant now) {
    return new GroupStatus(
        group.id(),
        group.generation(),
        ProvisioningState.PENDING,
        GroupState.PENDING,
        placement.hostId(),
        placement.address(),
        group.spec().containers().stream().map(c -> ContainerStatus.initial(c.name())).toList(),
        List.of(),
        now,
        group.restartEpoch(),
        group.spec().initContainers().stream()
            .map(c -> ContainerStatus.initial(c.name()))
            .toList());
  }

  /** The same status in another provisioning and group state, with {@code events}. */
  public GroupStatus with(
      ProvisioningState newProvisioning, GroupState newState, List<GroupEvent> newEvents) {
    return new GroupStatus(
        groupId,
        observedGeneration,
        newProvisioning,
        newState,
        hostId,
        ipAddress,
        containers,
        newEvents,
        updatedAt,
        appliedRestartEpoch,
        initContainers);
  }

  /** The same status placed as {@code placement} says, or placed nowhere when it is null. */
  public GroupStatus placedAt(Placement placement) {
    return new GroupStatus(
        groupId,
        observedGeneration,
        provisioningState,
        state,
        placement == null ? null : placement.hostId(),
        placement == null ? null : placement.address(),
        containers,
        events,
        updatedAt,
        appliedRestartEpoch,
        initContainers);
  }

  /** The same status with its containers (not its init containers) as given. */
  public GroupStatus withContainers(List<ContainerStatus> newContainers) {
    return new GroupStatus(
        groupId,
        observedGeneration,
        provisioningState,
        state,
        hostId,
        ipAddress,
        newContainers,
        events,
        updatedAt,
        appliedRestartEpoch,
        initContainers);
  }

  public Optional<ContainerStatus> initContainer(String name) {
    return initContainers.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** Whether every init container has run to a successful end. */
  public boolean initDone() {
    return initContainers.stream().allMatch(ContainerStatus::succeeded);
  }

  public Optional<ContainerStatus> container(String name) {
    return containers.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
