package dev.berth.service.web;

import dev.berth.api.server.model.CloudError;
import dev.berth.api.server.model.CloudErrorBody;
import dev.berth.service.containergroup.Violation;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** ARM's error body: {"error": {"code", "message", "target", "details"}}. */
final class ErrorBodies {

  private ErrorBodies() {}

  static ResponseEntity<CloudError> of(
      HttpStatus status, String code, String message, String target) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            new CloudError()
                .error(new CloudErrorBody().code(code).message(message).target(target)));
  }

  /** One error under {@code code}, repeated in details under the more specific {@code detail}. */
  static ResponseEntity<CloudError> withDetail(
      HttpStatus status, String code, String detail, String message, String target) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            new CloudError()
                .error(
                    new CloudErrorBody()
                        .code(code)
                        .message(message)
                        .target(target)
                        .addDetailsItem(
                            new CloudErrorBody().code(detail).message(message).target(target))));
  }

  /** The first violation on top, every violation in details. */
  static ResponseEntity<CloudError> of(HttpStatus status, List<Violation> violations) {
    Violation first = violations.get(0);
    CloudErrorBody body =
        new CloudErrorBody().code(first.code()).message(first.message()).target(first.target());
    if (violations.size() > 1) {
      violations.forEach(
          v ->
              body.addDetailsItem(
                  new CloudErrorBody().code(v.code()).message(v.message()).target(v.target())));
    }
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(new CloudError().error(body));
  }

  /** 429 TooManyRequests naming {@code target}, with Retry-After: one replica's cap on follows. */
  static ResponseEntity<Object> tooManyFollows(int most, String what, String instead) {
    var refused =
        of(
            HttpStatus.TOO_MANY_REQUESTS,
            "TooManyRequests",
            "This replica already serves "
                + most
                + " followed "
                + what
                + "; retry after 5 s (or "
                + instead
                + " without follow).",
            "follow");
    return ResponseEntity.status(refused.getStatusCode())
        .header("Retry-After", "5")
        .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
        .body(refused.getBody());
  }

  static String json(String code, String message) {
    return "{\"error\":{\"code\":\""
        + code
        + "\",\"message\":\""
        + message.replace("\"", "'")
        + "\"}}";
  }
}
