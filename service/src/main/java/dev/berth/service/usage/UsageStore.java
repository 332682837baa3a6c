package dev.berth.service.usage;

import dev.berth.runtime.ContainerUsage;
import dev.berth.service.containergroup.GroupKey;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Where the samples of containers' usage are kept, and what runs where. */
public interface UsageStore {

  /** A container the status of its group says runs on a host, by the engine's id. */
  record RunningContainer(UUID groupId, GroupKey key, String container, String containerId) {}

  /**
   * One sample. {@code container} is {@link #GROUP_NETWORK} for the group's network namespace: then
   * only the network figures are set.
   */
  record Sample(UUID groupId, String container, ContainerUsage usage) {}

  /** The container name of a group's network sample: its containers share one namespace. */
  String GROUP_NETWORK = "";

  /** Every container on {@code hostId} whose group's status says it runs, in one query. */
  List<RunningContainer> runningOn(String hostId);

  /** Adds samples, in one round trip; one of a moment already kept is left as it is. */
  void save(List<Sample> samples);

  /** A group's samples taken in [from, to), oldest first. */
  List<Sample> samples(UUID groupId, Instant from, Instant to);

  /** Removes samples taken before {@code cutoff}; how many. */
  int deleteBefore(Instant cutoff);
}
