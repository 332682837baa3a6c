package dev.berth.service.images;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.PullProgress;
import dev.berth.runtime.RegistryAuth;
import dev.berth.runtime.RuntimeFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The image pulls of this replica's hosts. A pull runs on its own thread, never on a reconciler
 * worker: a launch that needs an image starts the pull (or joins the one already running for the
 * same image on the same host, whichever group asked first) and comes back for the outcome on a
 * later pass, seeing the bytes done meanwhile. So a slow registry holds up only the groups waiting
 * for it, and an image is pulled once per host, not once per group.
 *
 * <p>What lives here is a cache and the pulls in flight, nothing correctness depends on: a replica
 * that takes over a host starts a pull again, and the engine itself joins concurrent pulls of one
 * image.
 */
public final class ImagePulls {

  /**
   * How long a finished pull's outcome is given to the other groups that waited for it (they look
   * once a second); a later launch decides afresh.
   */
  static final Duration RETAIN = Duration.ofSeconds(5);

  /** Where a launch's image stands. */
  public sealed interface Outcome {}

  /**
   * The host has the image.
   *
   * @param pull the pull that just brought it, or null when it was there already
   */
  public record Ready(Finished pull) implements Outcome {}

  /** A pull is under way; the launch is tried again on a later pass. */
  public record Pulling(PullProgress progress, boolean started) implements Outcome {}

  /** The pull failed. */
  public record Failed(RuntimeFailure failure) implements Outcome {}

  /** A finished pull: how long it took and how many bytes it moved. */
  public record Finished(Duration took, PullProgress progress) {}

  private static final class Pull {
    final Instant started;
    final AtomicReference<PullProgress> progress = new AtomicReference<>(PullProgress.NONE);
    volatile Instant finished;
    volatile RuntimeFailure failure;

    Pull(Instant started) {
      this.started = started;
    }
  }

  private final Executor executor;
  private final Clock clock;
  private final Duration timeout;
  private final PullPolicy policy;
  private final Set<String> present = ConcurrentHashMap.newKeySet();
  private final Map<String, Pull> pulls = new ConcurrentHashMap<>();

  public ImagePulls(Executor executor, Clock clock, Duration timeout, PullPolicy policy) {
    this.executor = executor;
    this.clock = clock;
    this.timeout = timeout;
    this.policy = policy;
  }

  /**
   * Where {@code image} stands on the host for a launch. An image this replica has seen on the host
   * and need not pull again costs no engine call, which keeps it off the path from PUT to Running.
   *
   * @param localOnly the image never comes from a registry (the sandbox): it is never pulled again
   */
  public Outcome ensure(
      ContainerRuntime runtime, String hostId, String image, RegistryAuth auth, boolean localOnly) {
    String presentKey = hostId + "\n" + image;
    String pullKey = presentKey + "\n" + identity(auth);
    Pull pull = pulls.get(pullKey);
    if (pull != null) {
      if (pull.finished == null) {
        return new Pulling(pull.progress.get(), false);
      }
      if (!pull.finished.isBefore(clock.instant().minus(RETAIN))) {
        return outcome(pull);
      }
      pulls.remove(pullKey, pull);
    }
    boolean again = !localOnly && policy.pullsAgain(ImageReference.parse(image));
    if (!again) {
      if (present.contains(presentKey)) {
        return new Ready(null);
      }
      if (runtime.hasImage(image)) {
        present.add(presentKey);
        return new Ready(null);
      }
    }
    Pull fresh = new Pull(clock.instant());
    Pull running = pulls.putIfAbsent(pullKey, fresh);
    if (running != null) {
      return running.finished == null
          ? new Pulling(running.progress.get(), false)
          : outcome(running);
    }
    executor.execute(
        () -> {
          try {
            runtime.pull(image, auth, timeout, fresh.progress::set);
            present.add(presentKey);
          } catch (RuntimeFailure failure) {
            fresh.failure = failure;
          } catch (RuntimeException bug) {
            fresh.failure =
                new RuntimeFailure(
                    RuntimeFailure.Kind.TRANSIENT, "pull " + image + ": " + bug, bug);
          } finally {
            fresh.finished = clock.instant();
          }
        });
    if (fresh.finished != null) {
      // Done already (a cached layer set, or an executor that runs at once).
      return outcome(fresh);
    }
    return new Pulling(PullProgress.NONE, true);
  }

  private static Outcome outcome(Pull pull) {
    if (pull.failure != null) {
      return new Failed(pull.failure);
    }
    return new Ready(
        new Finished(Duration.between(pull.started, pull.finished), pull.progress.get()));
  }

  /** Whether any of {@code images} is being pulled onto the host. */
  public boolean inFlight(String hostId, Collection<String> images) {
    for (Map.Entry<String, Pull> e : pulls.entrySet()) {
      if (e.getValue().finished == null) {
        for (String image : images) {
          if (e.getKey().startsWith(hostId + "\n" + image + "\n")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The host no longer has {@code image} (removed, or a create found it missing). */
  public void forget(String hostId, String image) {
    present.remove(hostId + "\n" + image);
  }

  /** Which credential a pull used, without the password itself. */
  private static String identity(RegistryAuth auth) {
    if (auth == null) {
      return "";
    }
    return auth.server() + "\n" + auth.username() + "\n" + sha256(auth.password());
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
