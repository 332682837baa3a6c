package dev.berth.service.usage;

import dev.berth.runtime.ContainerUsage;
import dev.berth.service.containergroup.GroupKey;
import java.util.List;

/** Where the latest usage of the containers this replica samples is shown (as series). */
public interface UsageExport {

  /**
   * The latest usage of one container, or of a group's network ({@link UsageStore#GROUP_NETWORK}).
   */
  record Latest(GroupKey key, String container, ContainerUsage usage) {}

  /**
   * What the last round found on each host this replica samples: the whole set, so a container that
   * is no longer there is no longer shown.
   */
  void show(List<Latest> latest);

  UsageExport NONE = latest -> {};
}
