package dev.berth.service.images;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {

  @ParameterizedTest
  @CsvSource(
      nullValues = "-",
      value = {
        "nginx, docker.io, library/nginx, -, -, true",
        "nginx:1.27, docker.io, library/nginx, 1.27, -, false",
        "nginx:latest, docker.io, library/nginx, latest, -, true",
        "bitnami/redis:7, docker.io, bitnami/redis, 7, -, false",
        "127.0.0.1:5000/team/app:2, 127.0.0.1:5000, team/app, 2, -, false",
        "localhost/app, localhost, app, -, -, true",
        "myregistry.azurecr.io/app:v1, myregistry.azurecr.io, app, v1, -, false",
        "Registry.Example.com:443/a/b/c, registry.example.com:443, a/b/c, -, -, true",
        "index.docker.io/library/busybox:1, docker.io, library/busybox, 1, -, false",
        "reg:5000/app@sha256:0123456789abcdef0123456789abcdef, reg:5000, app, -,"
            + " sha256:0123456789abcdef0123456789abcdef, false",
        "app:1@sha256:0123456789abcdef0123456789abcdef, docker.io, library/app, 1,"
            + " sha256:0123456789abcdef0123456789abcdef, false"
      })
  void takesANameApartAsDockerDoes(
      String image,
      String registry,
      String repository,
      String tag,
      String digest,
      boolean mutable) {
    ImageReference r = ImageReference.parse(image);
    assertThat(r.registry()).isEqualTo(registry);
    assertThat(r.repository()).isEqualTo(repository);
    assertThat(r.tag()).isEqualTo(tag);
    assertThat(r.digest()).isEqualTo(digest);
    assertThat(r.isMutable()).isEqualTo(mutable);
  }

  @ParameterizedTest
  @CsvSource({
    "IfNotPresent, berth/busybox:1, false",
    "IfNotPresent, berth/busybox, true",
    "IfNotPresent, berth/busybox:latest, true",
    "Always, berth/busybox:1, true",
    "always, berth/busybox:1, true"
  })
  void pullsAgainOnlyWhatThePolicyOrAMovingTagSays(String policy, String image, boolean again) {
    assertThat(PullPolicy.named(policy).orElseThrow().pullsAgain(ImageReference.parse(image)))
        .isEqualTo(again);
  }
}
