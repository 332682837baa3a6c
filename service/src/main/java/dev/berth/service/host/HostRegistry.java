package dev.berth.service.host;

import dev.berth.runtime.HostDescription;
import dev.berth.service.containergroup.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The fleet's hosts, in the database: what the operator registered, and what the owners' pings
 * found. Times of health are the database's, so replicas with different clocks agree.
 */
public interface HostRegistry {

  List<RegisteredHost> all();

  Optional<RegisteredHost> find(String hostId);

  /**
   * Registers the host or updates its definition, with what its engine just said about itself.
   *
   * @return true when the host is new
   */
  boolean register(HostDefinition definition, HostDescription engine);

  /**
   * The owner's ping was answered: its health is cleared (a silent host answered again now), and
   * when the engine was asked to describe itself, its capacity and version are as it says.
   *
   * @param engine what the engine said of itself, or null when it was only pinged (capacity and
   *     version stay as last described)
   */
  void answered(String hostId, HostDescription engine, String breakerState);

  /** The owner's ping was not answered: the host is silent since its last answer. */
  void silent(String hostId, String error, String breakerState);

  /**
   * Declares the host lost if it has been silent for at least {@code lostAfter} (database time).
   *
   * @return true when this call declared it
   */
  boolean declareLostIfSilentFor(String hostId, Duration lostAfter);

  /**
   * Inside a transaction: locks the host's row and says whether it is lost now (a host that
   * recovered meanwhile keeps its groups).
   */
  boolean lockIfLost(String hostId);

  /** Every stale container on the returned host was killed: it may take work again. */
  void recovered(String hostId);

  /** The operator's wish; a drain starts now with the given deadline. */
  void setAdminState(String hostId, HostState state, Instant drainDeadline);

  /** The drain moved everything off the host: it stays cordoned, and the drain shows done. */
  void drainFinished(String hostId);

  /** DELETE ?force=true: treat the host as lost; its row goes once nothing is placed there. */
  void markRemoving(String hostId);

  /**
   * Removes the host if no group holds room on it; groups that only remember it (finished ones)
   * forget it.
   *
   * @return the groups still placed there (nothing was removed) or an empty list (removed, or
   *     absent)
   */
  List<String> removeIfEmpty(String hostId);

  /** Names (subscription/resourceGroup/name) of the groups holding room on the host. */
  List<String> placedGroups(String hostId);

  /** What groups hold on a host: their reservations' sum and how many they are. */
  record Occupancy(Resources reserved, int groups) {
    public static final Occupancy NONE = new Occupancy(Resources.NONE, 0);
  }

  /** Occupancy of every host that has any. */
  java.util.Map<String, Occupancy> occupancy();

  /**
   * A group whose status names the host.
   *
   * @param reserved what it holds there, or none when it holds nothing (it finished or stopped)
   */
  record GroupOnHost(
      java.util.UUID id,
      dev.berth.service.containergroup.GroupKey key,
      String state,
      String provisioningState,
      Resources reserved) {}

  /** Every group whose status names the host, placed or finished, by key. */
  List<GroupOnHost> groupsOn(String hostId);
}
