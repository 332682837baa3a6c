package dev.berth.service.reconciliation;

import dev.berth.runtime.ContainerObservation;
import dev.berth.runtime.ContainerStatus;
import dev.berth.runtime.Labels;
import dev.berth.service.containergroup.ContainerDefinition;
import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.DesiredState;
import dev.berth.service.containergroup.GroupStatus;
import dev.berth.service.containergroup.ProvisioningState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what to do: a pure function from desired state, observed status and what the engine shows
 * to a list of {@link Action}s. Level-triggered, so running it twice on the same input asks for the
 * same (idempotent) actions.
 */
public final class GroupPlanner {

  /**
   * @param before the status at the start of the pass
   * @param now the status computed from this pass's observations
   * @param observed every container on the host labelled with this group
   */
  public List<Action> plan(
      ContainerGroup group,
      GroupStatus before,
      GroupStatus now,
      List<ContainerObservation> observed) {
    List<Action> actions = new ArrayList<>();
    if (group.desiredState() == DesiredState.DELETED) {
      observed.forEach(o -> actions.add(new Action.Remove(o.id(), o.name(), "group deleted")));
      actions.add(new Action.ReleaseCapacity());
      actions.add(new Action.DeleteGroup());
      return actions;
    }
    for (ContainerObservation o : observed) {
      if (!isCurrent(group, o)) {
        actions.add(
            new Action.Remove(o.id(), o.name(), "not part of generation " + group.generation()));
      }
    }
    if (group.desiredState() == DesiredState.STOPPED) {
      observed.stream()
          .filter(o -> isCurrent(group, o))
          .forEach(o -> actions.add(new Action.Remove(o.id(), o.name(), "group stopped")));
      actions.add(new Action.ReleaseCapacity());
      return actions;
    }
    boolean terminalNow =
        now.state().isTerminal() || now.provisioningState() == ProvisioningState.FAILED;
    if (terminalNow) {
      boolean wasTerminal =
          before.state().isTerminal() || before.provisioningState() == ProvisioningState.FAILED;
      if (!wasTerminal || before.observedGeneration() != now.observedGeneration()) {
        actions.add(new Action.ReleaseCapacity());
      }
      return actions;
    }
    for (ContainerDefinition definition : group.spec().containers()) {
      Optional<ContainerObservation> current = currentContainer(group, definition.name(), observed);
      if (current.isEmpty()) {
        actions.add(new Action.Launch(definition));
        continue;
      }
      ContainerObservation o = current.get();
      if (o.status() == ContainerStatus.CREATED
          || (o.status() == ContainerStatus.EXITED
              && group.spec().restartPolicy().restarts(o.exitCode()))) {
        actions.add(new Action.Start(o.id(), definition));
      }
    }
    return actions;
  }

  static boolean isCurrent(ContainerGroup group, ContainerObservation o) {
    String generation = o.labels().get(Labels.GENERATION);
    String name = o.labels().get(Labels.CONTAINER);
    return Long.toString(group.generation()).equals(generation)
        && group.spec().containers().stream().anyMatch(c -> c.name().equals(name))
        && ContainerNames.of(group.id(), name).equals(o.name());
  }

  static Optional<ContainerObservation> currentContainer(
      ContainerGroup group, String containerName, List<ContainerObservation> observed) {
    return observed.stream()
        .filter(o -> containerName.equals(o.labels().get(Labels.CONTAINER)))
        .filter(o -> isCurrent(group, o))
        .findFirst();
  }
}
