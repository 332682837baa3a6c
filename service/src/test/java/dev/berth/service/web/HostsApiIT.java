package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The hosts API's refusals on real PostgreSQL: bad input answers 400 naming each field and rule, an
 * engine that does not answer 422, unknown hosts 404, a host with groups 409; nothing is saved by a
 * refused call. Only engines that cannot exist are named, so no Docker engine is needed.
 */
@SpringBootTest(
    properties = {
      "berth.admin-key=it-admin",
      "berth.hosts.register=",
      "berth.reconcile.sweep-interval=1h"
    })
@AutoConfigureMockMvc
class HostsApiIT {

  static final Path dataDir = dev.berth.service.ItData.directory();

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("berth.data-dir", () -> dataDir.toString());
  }

  @Autowired MockMvc mvc;
  @Autowired JdbcTemplate jdbc;

  private static String unique() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private ResultActions register(String id, String body) throws Exception {
    return mvc.perform(
        put("/admin/hosts/" + id)
            .header("Authorization", "Bearer it-admin")
            .contentType(MediaType.APPLICATION_JSON)
            .content(body));
  }

  private long hosts(String id) {
    return jdbc.queryForObject("select count(*) from hosts where id = ?", Long.class, id);
  }

  @Test
  void badDefinitionsAreRefusedNamingEveryFieldAndNothingIsSaved() throws Exception {
    register(
            "Not_A_Host",
            """
            {"endpoint": "http://engine:2375", "cpuAllocatable": 16.5, "memoryAllocatable": 0,
             "publishAddresses": ["localhost"], "zone": "a zone"}""")
        .andExpect(status().isBadRequest())
        .andExpect(
            jsonPath("$.error.details[*].target")
                .value(
                    org.hamcrest.Matchers.containsInAnyOrder(
                        "hostId",
                        "endpoint",
                        "cpuAllocatable",
                        "memoryAllocatable",
                        "publishAddresses[0]",
                        "zone")))
        .andExpect(
            jsonPath("$.error.details[?(@.target == 'endpoint')].code").value("InvalidEndpoint"));
    assertThat(hosts("Not_A_Host")).isZero();

    register(unique(), "{\"endpoint\": \"unix:///x.sock\", \"responseTimeoutSeconds\": -1}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.error.target").value("responseTimeoutSeconds"));
    register(unique(), "{}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.error.target").value("endpoint"));
  }

  @Test
  void anEngineThatDoesNotAnswerIsNotRegistered() throws Exception {
    String id = unique();
    register(id, "{\"endpoint\": \"unix:///run/berth-no-such-engine-" + id + ".sock\"}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.error.code").value("HostNotAnswering"))
        .andExpect(jsonPath("$.error.target").value("endpoint"));
    assertThat(hosts(id)).isZero();
  }

  @Test
  void unknownHostsAre404AndABadDrainDeadline400() throws Exception {
    for (var request :
        java.util.List.of(
            get("/admin/hosts/nowhere"),
            post("/admin/hosts/nowhere/cordon"),
            post("/admin/hosts/nowhere/uncordon"),
            post("/admin/hosts/nowhere/drain"),
            get("/admin/hosts/nowhere/drain"))) {
      mvc.perform(request.header("Authorization", "Bearer it-admin"))
          .andExpect(status().isNotFound())
          .andExpect(jsonPath("$.error.code").value("HostNotFound"))
          .andExpect(jsonPath("$.error.target").value("hostId"));
    }
    mvc.perform(delete("/admin/hosts/nowhere").header("Authorization", "Bearer it-admin"))
        .andExpect(status().isNoContent());
    String id = existingHost();
    mvc.perform(
            post("/admin/hosts/" + id + "/drain?deadlineSeconds=-1")
                .header("Authorization", "Bearer it-admin"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.error.target").value("deadlineSeconds"));
  }

  @Test
  void aHostWithAGroupOnItIsNotRemovedAndTheAnswerNamesTheGroup() throws Exception {
    String id = existingHost();
    UUID group = UUID.randomUUID();
    jdbc.update(
        "insert into container_groups (id, subscription_id, resource_group, name, location, tags,"
            + " spec, generation, desired_state, resource_document, created_at, updated_at, version)"
            + " values (?, 'sub', 'rg', ?, 'local', '{}', '{}', 1, 'RUNNING', '{}', now(), now(), 0)",
        group,
        "g-" + id);
    jdbc.update(
        "insert into placements (group_id, host_id, milli_cpu, memory_mib) values (?, ?, 100, 64)",
        group,
        id);

    mvc.perform(delete("/admin/hosts/" + id).header("Authorization", "Bearer it-admin"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.error.code").value("HostNotEmpty"))
        .andExpect(
            jsonPath("$.error.message")
                .value(org.hamcrest.Matchers.containsString("sub/rg/g-" + id)));
    assertThat(hosts(id)).isOne();

    mvc.perform(
            post("/admin/hosts/" + id + "/drain?deadlineSeconds=60")
                .header("Authorization", "Bearer it-admin"))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Location", "/admin/hosts/" + id + "/drain"))
        .andExpect(jsonPath("$.state").value("InProgress"))
        .andExpect(jsonPath("$.remainingGroups[0]").value("sub/rg/g-" + id));
    mvc.perform(get("/admin/hosts/" + id).header("Authorization", "Bearer it-admin"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.state").value("Draining"))
        .andExpect(jsonPath("$.groupCount").value(1))
        .andExpect(jsonPath("$.reserved.cpu").value(0.1));
  }

  @Test
  void onlyTheAdminKeyManagesTheFleet() throws Exception {
    String issued =
        mvc.perform(
                post("/admin/keys")
                    .header("Authorization", "Bearer it-admin")
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"subscriptionId\": \"team-a\"}"))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String key = com.jayway.jsonpath.JsonPath.read(issued, "$.key");

    mvc.perform(get("/admin/hosts").header("Authorization", "Bearer " + key))
        .andExpect(status().isForbidden());
    mvc.perform(get("/admin/hosts").header("Authorization", "Bearer not-a-key"))
        .andExpect(status().isUnauthorized());
  }

  /** A host row as a registration leaves it (its engine is not asked again here). */
  private String existingHost() {
    String id = unique();
    jdbc.update(
        "insert into hosts (id, endpoint, allocatable_milli_cpu, allocatable_memory_mib,"
            + " engine_version, last_seen_at) values (?, 'unix:///nowhere', 2000, 2048, 'test', now())",
        id);
    return id;
  }
}
