package dev.berth.billing.rating;

/** A price that cannot be added, with the field and the rule it broke. */
public final class PriceRejected extends RuntimeException {

  private final String code;
  private final String target;

  public PriceRejected(String code, String message, String target) {
    super(message);
    this.code = code;
    this.target = target;
  }

  public String code() {
    return code;
  }

  public String target() {
    return target;
  }
}
