package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.server.model.ImageRegistryCredential;
import dev.berth.service.containergroup.RegistryCredential;
import dev.berth.service.containergroup.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ACI's rules for imageRegistryCredentials, each a 400 naming the field. */
class RegistryCredentialMappingTest {

  private static ImageRegistryCredential credential(String server, String user, String password) {
    return new ImageRegistryCredential().server(server).username(user).password(password);
  }

  @Test
  void aGoodCredentialIsKept() {
    List<Violation> violations = new ArrayList<>();
    List<RegistryCredential> kept =
        RegistryCredentialMapping.credentials(
            List.of(credential("127.0.0.1:5000", "u", "p")), 1, violations);
    assertThat(violations).isEmpty();
    assertThat(kept).containsExactly(new RegistryCredential("127.0.0.1:5000", "u", "p"));
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "-",
      delimiter = '|',
      value = {
        "https://myregistry.azurecr.io | u | p | InvalidImageRegistryServer | server",
        "http://127.0.0.1:5000 | u | p | InvalidImageRegistryServer | server",
        "myregistry.azurecr.io/path | u | p | InvalidImageRegistryServer | server",
        "- | u | p | InvalidImageRegistryCredential | server",
        "myregistry.azurecr.io | - | p | InvalidImageRegistryCredential | username",
        "myregistry.azurecr.io | u | - | InvalidImageRegistryCredential | password"
      })
  void aBrokenRuleIsRefusedNamingTheField(
      String server, String user, String password, String code, String field) {
    List<Violation> violations = new ArrayList<>();
    List<RegistryCredential> kept =
        RegistryCredentialMapping.credentials(
            List.of(credential(server, user, password)), 1, violations);
    assertThat(kept).isEmpty();
    assertThat(violations)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.code()).isEqualTo(code);
              assertThat(v.target()).isEqualTo("properties.imageRegistryCredentials[0]." + field);
            });
  }

  @Test
  void moreCredentialsThanContainersAreRefused() {
    List<Violation> violations = new ArrayList<>();
    RegistryCredentialMapping.credentials(
        List.of(credential("a.io", "u", "p"), credential("b.io", "u", "p")), 1, violations);
    assertThat(violations)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.code()).isEqualTo("MoreImageRegistryCredentialsThanContainers");
              assertThat(v.target()).isEqualTo("properties.imageRegistryCredentials");
            });
  }

  @Test
  void aManagedIdentityIsRefused() {
    List<Violation> violations = new ArrayList<>();
    RegistryCredentialMapping.credentials(
        List.of(credential("a.azurecr.io", "u", "p").identity("/subscriptions/x/mi")),
        1,
        violations);
    assertThat(violations).extracting(Violation::code).containsExactly("UnsupportedFeature");
  }
}
