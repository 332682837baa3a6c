package dev.berth.service.images;

import java.util.Locale;

/**
 * An image name taken apart as Docker reads it: {@code
 * [registry[:port]/]repository[:tag][@digest]}. The first path component names a registry only when
 * it has a '.' or a ':' or is {@code localhost}; otherwise the image is on Docker Hub ({@code
 * nginx} is {@code docker.io/library/nginx:latest}).
 *
 * @param registry the registry's host[:port], {@code docker.io} for Docker Hub
 * @param repository the path within the registry
 * @param tag the tag, or null when none is given (Docker then means {@code latest})
 * @param digest the digest ({@code sha256:...}), or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

  public static final String DOCKER_HUB = "docker.io";

  public static ImageReference parse(String image) {
    String rest = image;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry = DOCKER_HUB;
    int first = rest.indexOf('/');
    if (first >= 0) {
      String head = rest.substring(0, first);
      if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
        registry = head;
        rest = rest.substring(first + 1);
      }
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    return new ImageReference(normalRegistry(registry), rest, tag, digest);
  }

  /**
   * A registry's name as credentials are matched on: lowercase, Docker Hub's aliases as {@code
   * docker.io}.
   */
  public static String normalRegistry(String server) {
    String s = server.toLowerCase(Locale.ROOT);
    if (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return switch (s) {
      case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> DOCKER_HUB;
      default -> s;
    };
  }

  /**
   * Whether the name moves: no digest, and the tag is {@code latest} or absent. Such an image is
   * pulled again at every launch, as Kubernetes does for {@code :latest}.
   */
  public boolean isMutable() {
    return digest == null && (tag == null || tag.equals("latest"));
  }
}
