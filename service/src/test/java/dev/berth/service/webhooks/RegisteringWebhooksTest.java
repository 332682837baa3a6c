package dev.berth.service.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.SubscriptionEventStream;
import dev.berth.service.containergroup.SubscriptionEventStream.Position;
import dev.berth.service.containergroup.SubscriptionEventStream.Streamed;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a webhook may point at, and what registering one keeps. */
class RegisteringWebhooksTest {

  /** Keeps what is created, in memory; the rest is not asked for here. */
  static final class Kept implements WebhookStore {
    final List<Webhook> webhooks = new ArrayList<>();
    final List<String> secrets = new ArrayList<>();

    @Override
    public boolean create(Webhook webhook, String secret, int most) {
      webhooks.add(webhook);
      secrets.add(secret);
      return true;
    }

    @Override
    public List<Webhook> list(String subscriptionId) {
      return webhooks;
    }

    @Override
    public Optional<Webhook> find(String subscriptionId, UUID id) {
      return Optional.empty();
    }

    @Override
    public boolean delete(String subscriptionId, UUID id) {
      return false;
    }

    @Override
    public List<Claimed> claimDue(UUID token, Instant now, Instant until, int limit) {
      return List.of();
    }

    @Override
    public boolean delivered(UUID id, UUID token, Position through, Instant claimUntil) {
      return false;
    }

    @Override
    public boolean failed(
        UUID id, UUID token, int failedAttempts, Instant nextAttemptAt, String error) {
      return false;
    }

    @Override
    public void release(UUID id, UUID token) {}

    @Override
    public void log(Delivery delivery) {}

    @Override
    public List<Delivery> deliveries(UUID id, int limit) {
      return List.of();
    }

    @Override
    public int forgetDeliveriesBefore(Instant before) {
      return 0;
    }
  }

  static final Position END = new Position(42, UUID.randomUUID(), 3);

  static final SubscriptionEventStream STREAM =
      new SubscriptionEventStream() {
        @Override
        public List<Streamed> after(Position after, int limit) {
          return List.of();
        }

        @Override
        public List<Streamed> after(String s, Position after, Position through, int limit) {
          return List.of();
        }

        @Override
        public Position end() {
          return END;
        }
      };

  final Kept store = new Kept();

  RegisteringWebhooks registering(boolean allowPrivate) {
    return new RegisteringWebhooks(store, STREAM, Clock.systemUTC(), allowPrivate);
  }

  @Test
  void aWebhookStartsAtTheStreamsEndWithAFreshSecretForEachOne() {
    var first = registering(false).register("Sub-A", "https://93.184.216.34/hook", "mine");
    var second = registering(false).register("sub-a", "https://93.184.216.34/other", null);
    assertThat(first.webhook().deliveredThrough()).isEqualTo(END);
    assertThat(first.webhook().subscriptionId()).isEqualTo("sub-a");
    assertThat(first.secret()).startsWith("whsec_").hasSizeGreaterThan(40);
    assertThat(second.secret()).isNotEqualTo(first.secret());
    assertThat(store.secrets).containsExactly(first.secret(), second.secret());
  }

  @Test
  void theControlPlanesOwnNetworksAreRefusedUnlessTheOperatorAllowsThem() {
    for (String url :
        List.of(
            "http://127.0.0.1:8080/x",
            "http://169.254.169.254/latest/meta-data",
            "http://10.1.2.3/x",
            "http://192.168.0.1/x",
            "http://[::1]/x",
            "http://[fd00::1]/x",
            "http://localhost/x")) {
      assertThatThrownBy(() -> registering(false).register("s", url, null))
          .as(url)
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e -> {
                assertThat(e.violations().get(0).code()).isEqualTo("InvalidWebhookUrl");
                assertThat(e.violations().get(0).target()).isEqualTo("url");
              });
    }
    assertThat(store.webhooks).isEmpty();
    assertThat(registering(true).register("s", "http://127.0.0.1:8080/x", null).webhook().url())
        .isEqualTo("http://127.0.0.1:8080/x");
  }

  @Test
  void publicAddressesArePublic() throws Exception {
    assertThat(PrivateAddresses.isPrivate(InetAddress.getByName("93.184.216.34"))).isFalse();
    assertThat(PrivateAddresses.isPrivate(InetAddress.getByName("2001:db8::1"))).isFalse();
    assertThat(PrivateAddresses.isPrivate(InetAddress.getByName("172.16.0.1"))).isTrue();
  }
}
