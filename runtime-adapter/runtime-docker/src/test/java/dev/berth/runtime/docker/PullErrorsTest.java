package dev.berth.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.ImagePullFailure.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the engine says of a failed pull (messages as Docker 20.10 sends them), read as a reason.
 */
class PullErrorsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Status 500: {\"message\":\"unauthorized: authentication required\"}|UNAUTHORIZED",
        "Status 500: {\"message\":\"Get https://127.0.0.1:5000/v2/x/manifests/1: no basic auth credentials\"}|UNAUTHORIZED",
        "Status 404: {\"message\":\"manifest for 127.0.0.1:5000/x:nope not found: manifest unknown: manifest unknown\"}|NOT_FOUND",
        "Status 500: {\"message\":\"Get \\\"http://127.0.0.1:1/v2/\\\": dial tcp 127.0.0.1:1: connect: connection refused\"}|UNREACHABLE",
        "read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer|UNREACHABLE",
        "something else entirely|OTHER"
      })
  void readsTheReason(String message, Reason reason) {
    assertThat(PullErrors.reason(PullErrors.firstLine(message))).isEqualTo(reason);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Status 500: {\"message\":\"Get \\\"http://127.0.0.1:1/v2/\\\": dial tcp\"}|Get \"http://127.0.0.1:1/v2/\": dial tcp",
        "plain text|plain text"
      })
  void keepsTheEnginesMessage(String message, String kept) {
    assertThat(PullErrors.firstLine(message)).isEqualTo(kept);
    assertThat(PullErrors.firstLine(message + "\nsecond line")).isEqualTo(kept);
  }
}
