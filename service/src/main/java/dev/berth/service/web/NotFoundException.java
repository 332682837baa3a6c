package dev.berth.service.web;

/** The resource does not exist, or the caller may not see it (the two look the same). */
class NotFoundException extends RuntimeException {

  private final String code;
  private final String target;

  NotFoundException(String code, String message, String target) {
    super(message);
    this.code = code;
    this.target = target;
  }

  String code() {
    return code;
  }

  String target() {
    return target;
  }
}
