package dev.berth.service.containergroup;

import java.util.List;

/** A request broke one or more rules; nothing was changed. */
public class InvalidRequestException extends RuntimeException {

  private final List<Violation> violations;

  public InvalidRequestException(List<Violation> violations) {
    super(violations.isEmpty() ? "invalid request" : violations.get(0).message());
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("at least one violation");
    }
    this.violations = List.copyOf(violations);
  }

  public InvalidRequestException(Violation violation) {
    this(List.of(violation));
  }

  public List<Violation> violations() {
    return violations;
  }
}
