package dev.berth.service.containergroup;

/** The request conflicts with the group's current state (e.g. a PUT while it is being deleted). */
public class GroupConflictException extends RuntimeException {

  private final String code;

  public GroupConflictException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
