package dev.berth.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.berth.runtime.HostImage;
import dev.berth.runtime.ImagePullFailure;
import dev.berth.runtime.ImagePullFailure.Reason;
import dev.berth.runtime.PullProgress;
import dev.berth.runtime.RegistryAuth;
import dev.berth.runtime.RuntimeFailure;
import dev.berth.runtime.RuntimeFailure.Kind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Pulls with progress and credentials, and the listing and removal of a host's images. */
final class DockerImages {

  private final DockerClient client;

  DockerImages(DockerClient client) {
    this.client = client;
  }

  void pull(String image, RegistryAuth auth, Duration timeout, Consumer<PullProgress> progress) {
    PullImageCmd command = client.pullImageCmd(repository(image));
    String tagOrDigest = tagOrDigest(image);
    // Always a tag (or a digest): without one the engine would pull every tag of the repository.
    command.withTag(tagOrDigest);
    if (auth != null) {
      command.withAuthConfig(
          new AuthConfig()
              .withRegistryAddress(auth.server())
              .withUsername(auth.username())
              .withPassword(auth.password()));
    }
    Progress callback = new Progress(progress);
    try {
      command.exec(callback);
      boolean done = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        callback.close();
        throw new ImagePullFailure(
            Reason.TIMED_OUT,
            "the pull of " + image + " did not finish within " + timeout.toSeconds() + " s",
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure(Kind.TRANSIENT, "pull " + image + ": interrupted", e);
    } catch (IOException e) {
      throw new RuntimeFailure(Kind.TRANSIENT, "pull " + image + ": " + e.getMessage(), e);
    } catch (ImagePullFailure e) {
      throw e;
    } catch (RuntimeException e) {
      throw failure(image, e);
    }
    if (callback.error != null) {
      throw new ImagePullFailure(
          PullErrors.reason(callback.error), "pull " + image + ": " + callback.error, null);
    }
  }

  private static RuntimeFailure failure(String image, RuntimeException e) {
    if (e instanceof NotFoundException) {
      return new ImagePullFailure(
          Reason.NOT_FOUND, "pull " + image + ": " + PullErrors.firstLine(e.getMessage()), e);
    }
    if (e instanceof DockerException) {
      // The engine answered: what it says is about the registry, not about the engine.
      String message = PullErrors.firstLine(e.getMessage());
      return new ImagePullFailure(PullErrors.reason(message), "pull " + image + ": " + message, e);
    }
    RuntimeFailure translated = DockerFailures.translate("pull " + image, e);
    if (translated.kind() == Kind.HOST_UNREACHABLE) {
      return translated;
    }
    String message = translated.getMessage();
    return new ImagePullFailure(PullErrors.reason(message), message, e);
  }

  List<HostImage> list() {
    Map<String, Instant> lastContainer = new HashMap<>();
    for (Container c : client.listContainersCmd().withShowAll(true).exec()) {
      if (c.getImageId() != null && c.getCreated() != null) {
        lastContainer.merge(
            c.getImageId(), Instant.ofEpochSecond(c.getCreated()), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    List<HostImage> images = new ArrayList<>();
    for (Image i : client.listImagesCmd().withShowAll(false).exec()) {
      Instant created = Instant.ofEpochSecond(i.getCreated() == null ? 0 : i.getCreated());
      Instant used = lastContainer.get(i.getId());
      List<String> names =
          i.getRepoTags() == null
              ? List.of()
              : Arrays.stream(i.getRepoTags()).filter(t -> !t.equals("<none>:<none>")).toList();
      images.add(
          new HostImage(
              i.getId(),
              names,
              i.getSize() == null ? 0 : i.getSize(),
              used == null || used.isBefore(created) ? created : used,
              used != null));
    }
    return images;
  }

  /**
   * Each name is removed on its own, without force, so that the engine refuses the last one while a
   * container (running or not) is made from the image instead of leaving it nameless.
   */
  void remove(String imageId) {
    try {
      // Checked first: untagging the other names of an image in use would leave it renamed.
      String id = client.inspectImageCmd(imageId).exec().getId();
      boolean inUse =
          client.listContainersCmd().withShowAll(true).exec().stream()
              .anyMatch(c -> id.equals(c.getImageId()));
      if (inUse) {
        throw new RuntimeFailure(
            Kind.CONFLICT, "remove image " + imageId + ": a container is made from it");
      }
      List<String> tags = client.inspectImageCmd(imageId).exec().getRepoTags();
      List<String> names = tags == null ? List.of() : tags;
      if (names.isEmpty()) {
        client.removeImageCmd(imageId).withForce(false).exec();
      }
      for (String name : names) {
        client.removeImageCmd(name).withForce(false).exec();
      }
    } catch (NotFoundException alreadyGone) {
      // Idempotent.
    } catch (ConflictException inUse) {
      throw new RuntimeFailure(
          Kind.CONFLICT,
          "remove image " + imageId + ": " + PullErrors.firstLine(inUse.getMessage()),
          inUse);
    }
  }

  /** The name without its tag or digest. */
  static String repository(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return image.substring(0, at);
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(0, colon) : image;
  }

  /** The tag, or the digest ({@code sha256:...}), or {@code latest} when the name has neither. */
  static String tagOrDigest(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return image.substring(at + 1);
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(colon + 1) : "latest";
  }

  /** Sums the layers' bytes as the engine reports them; keeps the stream's error, if any. */
  private static final class Progress extends ResultCallback.Adapter<PullResponseItem> {

    private final Consumer<PullProgress> listener;
    private final Map<String, long[]> layers = new LinkedHashMap<>();
    private volatile String error;

    Progress(Consumer<PullProgress> listener) {
      this.listener = listener;
    }

    @Override
    public void onNext(PullResponseItem item) {
      if (item.isErrorIndicated()) {
        error =
            PullErrors.firstLine(
                item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                    ? item.getErrorDetail().getMessage()
                    : item.getError());
        return;
      }
      String status = item.getStatus() == null ? "" : item.getStatus().toLowerCase(Locale.ROOT);
      if (item.getId() == null) {
        return;
      }
      long[] layer = layers.computeIfAbsent(item.getId(), id -> new long[2]);
      var detail = item.getProgressDetail();
      if (status.startsWith("downloading") && detail != null) {
        if (detail.getTotal() != null && detail.getTotal() > 0) {
          layer[1] = detail.getTotal();
        }
        if (detail.getCurrent() != null) {
          layer[0] = detail.getCurrent();
        }
      } else if (status.startsWith("download complete")
          || status.startsWith("pull complete")
          || status.startsWith("extracting")) {
        layer[0] = layer[1];
      } else {
        return;
      }
      long current = 0;
      long total = 0;
      for (long[] l : layers.values()) {
        current += l[0];
        total += l[1];
      }
      listener.accept(new PullProgress(current, total));
    }
  }
}
