package dev.berth.service.reconciliation;

/**
 * A volume could not be given its contents (a repository that cannot be cloned, a revision it does
 * not have, a share directory that cannot be made). The message names what failed and holds no
 * secret.
 */
public final class VolumeSourceFailure extends RuntimeException {

  public VolumeSourceFailure(String message) {
    super(message);
  }
}
