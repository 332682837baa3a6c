package dev.berth.service.images;

import dev.berth.runtime.ContainerRuntime;
import dev.berth.runtime.HostImage;
import dev.berth.runtime.RuntimeFailure;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Keeps a host's images within its disk budget: level-triggered, run periodically on the replica
 * that owns the host; each run looks at what is on the host now and removes the least recently used
 * images that nothing needs until the rest fit (see {@link ImageBudget}). An image a container is
 * made from, one a group placed on the host names, and the sandbox image stay.
 */
public final class ImageCollector {

  private static final Logger log = Logger.getLogger(ImageCollector.class.getName());

  private final long budgetBytes;
  private final String sandboxImage;
  private final Function<String, Set<String>> imagesOfGroupsOn;
  private final ImagePulls pulls;

  /**
   * @param imagesOfGroupsOn the images the groups placed on a host name (running or not)
   */
  public ImageCollector(
      long budgetBytes,
      String sandboxImage,
      Function<String, Set<String>> imagesOfGroupsOn,
      ImagePulls pulls) {
    this.budgetBytes = budgetBytes;
    this.sandboxImage = sandboxImage;
    this.imagesOfGroupsOn = imagesOfGroupsOn;
    this.pulls = pulls;
  }

  /** Removes what must go from one host; returns the ids removed. */
  public List<String> collect(String hostId, ContainerRuntime runtime) {
    List<HostImage> images = runtime.listImages();
    Set<String> keep = new HashSet<>();
    keep.add(tagged(sandboxImage));
    imagesOfGroupsOn.apply(hostId).forEach(image -> keep.add(tagged(image)));
    List<String> chosen = ImageBudget.toRemove(images, budgetBytes, keep);
    List<String> removed = new java.util.ArrayList<>();
    for (String id : chosen) {
      try {
        runtime.removeImage(id);
        removed.add(id);
        images.stream()
            .filter(i -> i.id().equals(id))
            .flatMap(i -> i.references().stream())
            .forEach(reference -> pulls.forget(hostId, reference));
        log.info("removed image " + id + " from host " + hostId + " (over its disk budget)");
      } catch (RuntimeFailure f) {
        if (f.kind() != RuntimeFailure.Kind.CONFLICT && f.kind() != RuntimeFailure.Kind.NOT_FOUND) {
          throw f;
        }
        // Taken into use since the listing: it stays, the next run looks again.
      }
    }
    return removed;
  }

  /** A name as the engine lists it: {@code repository:tag}, {@code :latest} when none is given. */
  static String tagged(String image) {
    ImageReference r = ImageReference.parse(image);
    if (r.digest() != null) {
      return image;
    }
    return r.tag() == null ? image + ":latest" : image;
  }
}
