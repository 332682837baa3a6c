package dev.berth.service.images;

import dev.berth.runtime.ImagePullFailure;

/**
 * A failed pull told as the user needs it: its own code per cause (ACI says InaccessibleImage for
 * all of them, which its users complain about) and a message naming the image and the registry.
 */
public final class PullFailures {

  private PullFailures() {}

  /** The code and the message of a failed pull of {@code image}. */
  public record Described(String code, String message) {

    /** {@code Code: message}, as events and detailStatus show it. */
    public String text() {
      return code + ": " + message;
    }
  }

  public static Described describe(ImagePullFailure failure, String image, boolean sentCredential) {
    String registry = ImageReference.parse(image).registry();
    String engine = failure.getMessage();
    return switch (failure.reason()) {
      case NOT_FOUND ->
          new Described(
              "ImageNotFound",
              "The image '"
                  + image
                  + "' was not found in registry "
                  + registry
                  + " (no such repository, tag or digest): "
                  + engine);
      case UNAUTHORIZED ->
          new Described(
              "ImagePullUnauthorized",
              "Registry "
                  + registry
                  + " refused "
                  + (sentCredential
                      ? "the credential of imageRegistryCredentials for it"
                      : "the pull: no imageRegistryCredentials entry has server '" + registry + "'")
                  + " for image '"
                  + image
                  + "': "
                  + engine);
      case UNREACHABLE ->
          new Described(
              "RegistryUnreachable",
              "Registry "
                  + registry
                  + " of image '"
                  + image
                  + "' could not be reached"
                  + (sentCredential
                      ? ""
                      : " (no imageRegistryCredentials entry has server '"
                          + registry
                          + "'; a registry that wants one may look unreachable)")
                  + ": "
                  + engine);
      case TIMED_OUT ->
          new Described(
              "ImagePullTimedOut",
              "The pull of image '" + image + "' did not finish in time: " + engine);
      case OTHER ->
          new Described(
              "InaccessibleImage", "The image '" + image + "' is not accessible: " + engine);
    };
  }
}
