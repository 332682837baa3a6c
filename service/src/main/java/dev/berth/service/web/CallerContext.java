package dev.berth.service.web;

import dev.berth.service.access.Principal;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/** The authenticated caller of the current request (set by {@link ApiKeyFilter}). */
final class CallerContext {

  static final String ATTRIBUTE = "berth.principal";

  private CallerContext() {}

  static Principal principal() {
    Object p =
        RequestContextHolder.currentRequestAttributes()
            .getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (p instanceof Principal principal) {
      return principal;
    }
    throw new IllegalStateException("request was not authenticated");
  }
}
