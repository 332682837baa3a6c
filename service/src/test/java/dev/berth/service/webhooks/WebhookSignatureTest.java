package dev.berth.service.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The signature a receiver checks, and how long a failing receiver is left alone. */
class WebhookSignatureTest {

  @Test
  void theSignatureCoversTheTimestampAndTheBodyAndOnlyTheSecretMakesIt() {
    String header = WebhookSignature.header("whsec_k", 1_700_000_000L, "{\"a\":1}");
    assertThat(header).startsWith("t=1700000000,v1=").hasSize("t=1700000000,v1=".length() + 64);
    assertThat(WebhookSignature.verifies("whsec_k", header, "{\"a\":1}")).isTrue();
    assertThat(WebhookSignature.verifies("whsec_other", header, "{\"a\":1}")).isFalse();
    assertThat(WebhookSignature.verifies("whsec_k", header, "{\"a\":2}")).isFalse();
    // A replayed body under another timestamp does not verify.
    String moved = header.replace("t=1700000000", "t=1700000999");
    assertThat(WebhookSignature.verifies("whsec_k", moved, "{\"a\":1}")).isFalse();
    assertThat(WebhookSignature.verifies("whsec_k", "v1=abc", "{\"a\":1}")).isFalse();
  }

  @Test
  void retriesWaitOneTwoFourSecondsAndSoOnUpToTenMinutes() {
    assertThat(DeliveringWebhooks.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(DeliveringWebhooks.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(DeliveringWebhooks.backoff(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(DeliveringWebhooks.backoff(10)).isEqualTo(Duration.ofSeconds(512));
    assertThat(DeliveringWebhooks.backoff(11)).isEqualTo(Duration.ofMinutes(10));
    assertThat(DeliveringWebhooks.backoff(1000)).isEqualTo(Duration.ofMinutes(10));
  }
}
