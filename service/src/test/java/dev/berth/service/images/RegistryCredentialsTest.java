package dev.berth.service.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.RegistryAuth;
import dev.berth.service.containergroup.RegistryCredential;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryCredentialsTest {

  private static final List<RegistryCredential> CREDENTIALS =
      List.of(
          new RegistryCredential("127.0.0.1:5000", "alice", "a-secret"),
          new RegistryCredential("MyRegistry.azurecr.io", "bob", "b-secret"),
          new RegistryCredential("index.docker.io", "carol", "c-secret"));

  private static String user(String image) {
    return RegistryCredentials.forImage(ImageReference.parse(image), CREDENTIALS)
        .map(RegistryAuth::username)
        .orElse(null);
  }

  @Test
  void theCredentialOfTheImagesRegistryHostAndPortIsUsed() {
    assertThat(user("127.0.0.1:5000/team/app:1")).isEqualTo("alice");
    assertThat(user("myregistry.azurecr.io/app:1")).isEqualTo("bob");
  }

  @Test
  void anotherPortOrHostIsAnotherRegistry() {
    assertThat(user("127.0.0.1:5001/team/app:1")).isNull();
    assertThat(user("127.0.0.1/team/app:1")).isNull();
    assertThat(user("other.azurecr.io/app:1")).isNull();
  }

  @Test
  void dockerHubShortNamesMatchDockerHubsAliases() {
    assertThat(user("nginx:1.27")).isEqualTo("carol");
    assertThat(user("bitnami/redis")).isEqualTo("carol");
  }

  @Test
  void noCredentialsSendNone() {
    assertThat(RegistryCredentials.forImage(ImageReference.parse("nginx"), List.of())).isEmpty();
  }

  @Test
  void aCredentialNeverShowsItsPasswordInItsString() {
    assertThat(CREDENTIALS.get(0).toString()).doesNotContain("a-secret");
    assertThat(new RegistryAuth("s", "u", "p-secret").toString()).doesNotContain("p-secret");
  }
}
