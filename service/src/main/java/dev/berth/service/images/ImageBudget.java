package dev.berth.service.images;

import dev.berth.runtime.HostImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which images to remove from a host whose images use more disk than its budget: the least recently
 * used first, until the rest fit, never one a container is made from and never one that is kept
 * (the sandbox image, an image a group on the host still names). Pure.
 */
public final class ImageBudget {

  private ImageBudget() {}

  /**
   * The ids to remove, in order. Sizes are the engine's per-image sizes, which count shared layers
   * once per image: the sum overstates the disk in use, so the budget errs towards removing.
   *
   * @param keep image names ({@code repository:tag}) that must stay
   */
  public static List<String> toRemove(List<HostImage> images, long budgetBytes, Set<String> keep) {
    long used = images.stream().mapToLong(HostImage::sizeBytes).sum();
    List<String> chosen = new ArrayList<>();
    if (used <= budgetBytes) {
      return chosen;
    }
    List<HostImage> candidates =
        images.stream()
            .filter(i -> !i.inUse())
            .filter(i -> i.references().stream().noneMatch(keep::contains))
            .sorted(Comparator.comparing(HostImage::lastUsed).thenComparing(HostImage::id))
            .toList();
    for (HostImage image : candidates) {
      if (used <= budgetBytes) {
        break;
      }
      chosen.add(image.id());
      used -= image.sizeBytes();
    }
    return chosen;
  }
}
