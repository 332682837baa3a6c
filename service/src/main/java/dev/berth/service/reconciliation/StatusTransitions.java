package dev.berth.service.reconciliation;

import dev.berth.service.containergroup.ContainerGroup;
import dev.berth.service.containergroup.GroupStatus;

/**
 * Told of every group status a pass committed, with the one it replaced (Micrometer's launch and
 * restart series in the service). Called after the commit, on the pass's thread; it must be quick
 * and must not throw.
 */
@FunctionalInterface
public interface StatusTransitions {

  StatusTransitions NONE = (group, before, after) -> {};

  void committed(ContainerGroup group, GroupStatus before, GroupStatus after);
}
