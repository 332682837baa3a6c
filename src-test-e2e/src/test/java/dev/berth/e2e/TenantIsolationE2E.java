package dev.berth.e2e;

import static dev.berth.e2e.Groups.API_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.sdk.ApiException;
import dev.berth.sdk.api.AdminApi;
import dev.berth.sdk.api.ContainerGroupsApi;
import dev.berth.sdk.api.LocationApi;
import dev.berth.sdk.model.ApiKeyRequest;
import dev.berth.sdk.model.IssuedApiKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A key scoped to one subscription never sees or touches another's groups. */
class TenantIsolationE2E {

  private final BerthProcess berth = BerthProcess.get();
  private final AdminApi admin = new AdminApi(berth.adminClient());

  private static void assertNotFound(ThrowingCall call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void scopedKeysSeeOnlyTheirSubscription() throws Exception {
    String subA = Groups.unique("tenant-a");
    String subB = Groups.unique("tenant-b");
    IssuedApiKey keyA =
        admin.createApiKey(new ApiKeyRequest().subscriptionId(subA).description("team a"));
    IssuedApiKey keyB =
        admin.createApiKey(new ApiKeyRequest().subscriptionId(subB).description("team b"));
    assertThat(keyA.getKey()).isNotBlank();
    var apiA = new ContainerGroupsApi(berth.client(keyA.getKey()));
    var apiB = new ContainerGroupsApi(berth.client(keyB.getKey()));

    String name = Groups.unique("mine");
    apiB.containerGroupsCreateOrUpdate(
        subB,
        "rg",
        name,
        API_VERSION,
        Groups.group("Always", Groups.container("main", 0.1, 0.0625, "sleep", "600")));

    assertNotFound(() -> apiA.containerGroupsGet(subB, "rg", name, API_VERSION));
    assertNotFound(() -> apiA.containerGroupsList(subB, API_VERSION, null));
    assertNotFound(() -> apiA.containerGroupsListByResourceGroup(subB, "rg", API_VERSION, null));
    assertNotFound(() -> apiA.containerGroupsDelete(subB, "rg", name, API_VERSION));
    assertNotFound(
        () ->
            apiA.containerGroupsCreateOrUpdate(
                subB,
                "rg",
                Groups.unique("intruder"),
                API_VERSION,
                Groups.group("Always", Groups.container("main", 0.1, 0.0625, "sleep", "600"))));
    assertNotFound(
        () ->
            new LocationApi(berth.client(keyA.getKey()))
                .locationListCapabilities(subB, "local", API_VERSION));

    // Still there for its owner and the admin, untouched.
    assertThat(apiB.containerGroupsGet(subB, "rg", name, API_VERSION).getName()).isEqualTo(name);
    assertThat(
            new ContainerGroupsApi(berth.adminClient())
                .containerGroupsList(subB, API_VERSION, null)
                .getValue())
        .extracting(g -> g.getName())
        .containsExactly(name);
    assertThat(apiA.containerGroupsList(subA, API_VERSION, null).getValue()).isNullOrEmpty();

    // Key management is the admin's alone.
    assertThatThrownBy(() -> new AdminApi(berth.client(keyA.getKey())).listApiKeys())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    assertThat(admin.listApiKeys().getValue())
        .extracting(k -> k.getId())
        .contains(keyA.getId(), keyB.getId());

    // A revoked key stops working at once.
    admin.revokeApiKey(keyA.getId());
    assertThatThrownBy(() -> apiA.containerGroupsList(subA, API_VERSION, null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(401));

    apiB.containerGroupsDelete(subB, "rg", name, API_VERSION);
  }

  @Test
  void aScopedKeyCannotReachAdminThroughAnotherSpellingOfItsPath() throws Exception {
    IssuedApiKey key =
        admin.createApiKey(
            new ApiKeyRequest().subscriptionId(Groups.unique("spelling")).description("spelling"));
    var http = java.net.http.HttpClient.newHttpClient();
    for (String path :
        List.of(
            "/admin/keys",
            "/%61dmin/keys",
            "/%2561dmin/keys",
            "/docs/../admin/keys",
            "/docs/%2e%2e/admin/keys",
            "/docs;/../admin/keys",
            "/dashboard/..;/admin/keys",
            "/admin;x=1/keys",
            "/actuator",
            "/actuator/health/../prometheus",
            "/%61ctuator/prometheus")) {
      for (String bearer : new String[] {key.getKey(), null}) {
        var request =
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(berth.baseUri() + path));
        if (bearer != null) {
          request.header("Authorization", "Bearer " + bearer);
        }
        var answer = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode())
            .as("%s with %s", path, bearer == null ? "no key" : "a scoped key")
            .isBetween(400, 499);
        assertThat(answer.body()).doesNotContain(key.getId()).doesNotContain("# HELP");
      }
    }
    admin.revokeApiKey(key.getId());
  }

  @Test
  void capabilitiesReportTheLargestGroupThatCouldFit() throws Exception {
    var capabilities =
        new LocationApi(berth.adminClient())
            .locationListCapabilities("any", "local", API_VERSION)
            .getValue();
    assertThat(capabilities)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getOsType()).isEqualTo("Linux");
              assertThat(c.getCapabilities().getMaxCpu())
                  .isPositive()
                  .isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
              assertThat(c.getCapabilities().getMaxMemoryInGB()).isPositive();
            });
  }
}
