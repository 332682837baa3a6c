package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
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
 * ACI's {@code zones} through the API on real PostgreSQL: a group goes to a host of its zone, a
 * zone no host is in answers 409 NoHostInZone naming the zones that exist, and a bad zones field
 * answers 400 naming it; nothing is created by a refused PUT.
 */
@SpringBootTest(
    properties = {
      "berth.admin-key=it-admin",
      "berth.hosts.register=",
      "berth.reconcile.sweep-interval=1h",
      // Hosts inserted below never answer; they stay Ready only if nobody pings them.
      "berth.hosts.ping-interval=1h",
      "berth.scheduling.ranking=spread"
    })
@AutoConfigureMockMvc
class ZonePlacementIT {

  static final Path dataDir = dev.berth.service.ItData.directory();

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("berth.data-dir", () -> dataDir.toString());
  }

  @Autowired MockMvc mvc;
  @Autowired JdbcTemplate jdbc;

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String host(String zone, long milliCpu) {
    String id = unique("it");
    jdbc.update(
        "insert into hosts (id, endpoint, zone, allocatable_milli_cpu, allocatable_memory_mib,"
            + " engine_version, last_seen_at) values (?, 'unix:///nowhere', ?, ?, 8192, 'test', now())",
        id,
        zone,
        milliCpu);
    return id;
  }

  private static String group(String zones) {
    return "{\"location\":\"local\",\"zones\":"
        + zones
        + ",\"properties\":{\"osType\":\"Linux\",\"containers\":["
        + "{\"name\":\"web\",\"properties\":{\"image\":\"berth/busybox:1\","
        + "\"resources\":{\"requests\":{\"cpu\":0.5,\"memoryInGB\":0.5}}}},"
        + "{\"name\":\"sidecar\",\"properties\":{\"image\":\"berth/busybox:1\","
        + "\"resources\":{\"requests\":{\"cpu\":0.5,\"memoryInGB\":0.5}}}}]}}";
  }

  private static String path(String sub, String name) {
    return "/subscriptions/"
        + sub
        + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/"
        + name
        + "?api-version=2023-05-01";
  }

  private ResultActions putGroup(String sub, String name, String body) throws Exception {
    return mvc.perform(
        put(path(sub, name))
            .header("Authorization", "Bearer it-admin")
            .contentType(MediaType.APPLICATION_JSON)
            .content(body));
  }

  private void assertNothingCreated(String sub, String name) throws Exception {
    mvc.perform(get(path(sub, name)).header("Authorization", "Bearer it-admin"))
        .andExpect(status().isNotFound());
    assertThat(
            jdbc.queryForObject(
                "select count(*) from container_groups where subscription_id = ?", Long.class, sub))
        .isZero();
  }

  @Test
  void aGroupIsPlacedWholeOnAHostOfItsZone() throws Exception {
    String zone = unique("zone");
    host(unique("other"), 64_000);
    String inZone = host(zone, 4000);
    String sub = unique("sub");

    putGroup(sub, "g", group("[\"" + zone + "\"]")).andExpect(status().isCreated());

    assertThat(
            jdbc.queryForList(
                "select p.host_id from placements p join container_groups g on g.id = p.group_id"
                    + " where g.subscription_id = ?",
                String.class,
                sub))
        .containsExactly(inZone);
  }

  @Test
  void aZoneNoHostIsInAnswers409NamingTheZonesAndCreatesNothing() throws Exception {
    String existing = unique("zone");
    host(existing, 64_000);
    String sub = unique("sub");
    String missing = unique("nowhere");

    putGroup(sub, "g", group("[\"" + missing + "\"]"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.error.code").value("NoHostInZone"))
        .andExpect(jsonPath("$.error.target").value("zones"))
        .andExpect(
            result ->
                assertThat(result.getResponse().getContentAsString())
                    .contains("No host is in zone '" + missing + "'.")
                    .contains("Zones with hosts: ")
                    .contains("'" + existing + "'"));

    assertNothingCreated(sub, "g");
  }

  @Test
  void aFullZoneAnswers409InsufficientCapacityAndCreatesNothing() throws Exception {
    String zone = unique("zone");
    host(zone, 500);
    host(unique("roomy"), 64_000);
    String sub = unique("sub");

    putGroup(sub, "g", group("[\"" + zone + "\"]"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.error.code").value("InsufficientCapacity"))
        .andExpect(
            result ->
                assertThat(result.getResponse().getContentAsString())
                    .contains("No host in zone '" + zone + "' has room")
                    .contains("'" + zone + "'"));

    assertNothingCreated(sub, "g");
  }

  @Test
  void moreThanOneZoneAnswers400NamingTheFieldAndCreatesNothing() throws Exception {
    String sub = unique("sub");
    putGroup(sub, "g", group("[\"1\",\"2\"]"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.error.code").value("MultipleZonesNotSupported"))
        .andExpect(jsonPath("$.error.target").value("zones"));
    assertNothingCreated(sub, "g");
  }

  @Test
  void aMalformedZoneAnswers400NamingTheField() throws Exception {
    String sub = unique("sub");
    putGroup(sub, "g", group("[\"zone one\"]"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.error.code").value("InvalidZone"))
        .andExpect(jsonPath("$.error.target").value("zones"));
    assertNothingCreated(sub, "g");
  }

  @Test
  void anEmptyZonesListAsksForNoZone() throws Exception {
    host(null, 64_000);
    putGroup(unique("sub"), "g", group("[]")).andExpect(status().isCreated());
  }
}
