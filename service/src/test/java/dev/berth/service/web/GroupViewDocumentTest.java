package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.server.model.ContainerGroup;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The document a GET echoes keeps no secret of what the client sent. */
class GroupViewDocumentTest {

  private final JsonMapper json = JsonMapper.builder().build();
  private final GroupView view = new GroupView(json, "berth.local");

  @Test
  void theEchoedDocumentHoldsNoPasswordKeyOrTokenOfARepositoryUrl() {
    ContainerGroup sent =
        json.readValue(
            """
            {"location":"local","properties":{"osType":"Linux","containers":[],
             "imageRegistryCredentials":[{"server":"127.0.0.1:5000","username":"u",
               "password":"canary-registry-password"}],
             "volumes":[
               {"name":"code","gitRepo":{"repository":"https://deploy:canary-git-token@git.example/r.git",
                "directory":"src"}},
               {"name":"state","azureFile":{"shareName":"orders","storageAccountName":"acct",
                "storageAccountKey":"canary-storage-key"}}]}}
            """,
            ContainerGroup.class);

    String echoed = view.document(sent);

    assertThat(echoed)
        .doesNotContain("canary-registry-password")
        .doesNotContain("canary-git-token")
        .doesNotContain("canary-storage-key")
        .contains("https://git.example/r.git")
        .contains("\"username\":\"u\"")
        .contains("\"shareName\":\"orders\"");
  }
}
