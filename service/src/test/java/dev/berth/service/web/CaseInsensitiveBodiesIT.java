package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * ARM reads property names in a request body without regard to case: the same group written with
 * the spec's spelling, with the spelling of Microsoft's own templates ({@code memoryInGb}, {@code
 * IpAddress}, {@code Ports}, {@code OsType}) and in capitals is stored as one and the same spec,
 * and answered with the spec's spelling. Numbers sent as strings are read as numbers.
 */
@SpringBootTest(
    properties = {
      "berth.admin-key=it-admin",
      "berth.hosts.register=",
      "berth.reconcile.sweep-interval=1h",
      // The hosts below never answer; they stay Ready for the test only if nobody pings them.
      "berth.hosts.ping-interval=1h"
    })
@AutoConfigureMockMvc
class CaseInsensitiveBodiesIT {

  static final Path dataDir = dev.berth.service.ItData.directory();

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("berth.data-dir", () -> dataDir.toString());
  }

  @Autowired MockMvc mvc;
  @Autowired JdbcTemplate jdbc;

  private final String subscription = "case-" + UUID.randomUUID().toString().substring(0, 8);

  /** The spec's spelling. */
  private static final String AS_SPECIFIED =
      """
      {"location":"local","properties":{"osType":"Linux","restartPolicy":"Always",
       "ipAddress":{"type":"Public","ports":[{"port":80,"protocol":"TCP"}]},
       "containers":[{"name":"web","properties":{"image":"berth/busybox:1",
         "command":["httpd","-f","-p","80"],
         "ports":[{"port":80}],
         "environmentVariables":[{"name":"MODE","value":"demo"}],
         "resources":{"requests":{"cpu":0.5,"memoryInGB":1.5}}}}]}}
      """;

  /** As Microsoft's quickstart templates and YAML write it, numbers as strings. */
  private static final String AS_TEMPLATES_WRITE_IT =
      """
      {"Location":"local","Properties":{"OsType":"Linux","RestartPolicy":"Always",
       "IpAddress":{"Type":"Public","Ports":[{"Port":"80","Protocol":"TCP"}]},
       "Containers":[{"Name":"web","Properties":{"Image":"berth/busybox:1",
         "Command":["httpd","-f","-p","80"],
         "Ports":[{"Port":"80"}],
         "EnvironmentVariables":[{"Name":"MODE","Value":"demo"}],
         "Resources":{"Requests":{"Cpu":"0.5","memoryInGb":"1.5"}}}}]}}
      """;

  /** Every name in capitals. */
  private static final String IN_CAPITALS =
      """
      {"LOCATION":"local","PROPERTIES":{"OSTYPE":"Linux","RESTARTPOLICY":"Always",
       "IPADDRESS":{"TYPE":"Public","PORTS":[{"PORT":80,"PROTOCOL":"TCP"}]},
       "CONTAINERS":[{"NAME":"web","PROPERTIES":{"IMAGE":"berth/busybox:1",
         "COMMAND":["httpd","-f","-p","80"],
         "PORTS":[{"PORT":80}],
         "ENVIRONMENTVARIABLES":[{"NAME":"MODE","VALUE":"demo"}],
         "RESOURCES":{"REQUESTS":{"CPU":0.5,"MEMORYINGB":1.5}}}}]}}
      """;

  private String path(String name) {
    return "/subscriptions/"
        + subscription
        + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/"
        + name
        + "?api-version=2023-05-01";
  }

  /**
   * A host for each of the three groups, which all publish port 80 (nothing starts there: the hosts
   * never answer).
   */
  @BeforeEach
  void hosts() {
    for (int i = 0; i < 3; i++) {
      jdbc.update(
          "insert into hosts (id, endpoint, allocatable_milli_cpu, allocatable_memory_mib,"
              + " engine_version, last_seen_at) values (?, 'unix:///nowhere', 4000, 16384, 'test',"
              + " now())",
          subscription + "-" + i);
    }
  }

  @AfterEach
  void removeHosts() {
    jdbc.update("delete from container_groups where subscription_id = ?", subscription);
    jdbc.update("delete from hosts where id like ?", subscription + "-%");
  }

  @Test
  void oneGroupInThreeCasingsIsStoredAsOneSpecAndAnsweredInTheSpecsSpelling() throws Exception {
    List<String> bodies = List.of(AS_SPECIFIED, AS_TEMPLATES_WRITE_IT, IN_CAPITALS);
    for (int i = 0; i < bodies.size(); i++) {
      var answer =
          mvc.perform(
                  put(path("g" + i))
                      .header("Authorization", "Bearer it-admin")
                      .contentType(MediaType.APPLICATION_JSON)
                      .content(bodies.get(i)))
              .andReturn()
              .getResponse();
      assertThat(answer.getStatus())
          .as("body %d: %s", i, answer.getContentAsString())
          .isEqualTo(201);
    }

    List<String> specs =
        jdbc.queryForList(
            "select spec from container_groups where subscription_id = ? order by name",
            String.class,
            subscription);
    assertThat(specs).hasSize(3);
    assertThat(specs.get(1)).isEqualTo(specs.get(0));
    assertThat(specs.get(2)).isEqualTo(specs.get(0));

    for (int i = 0; i < bodies.size(); i++) {
      mvc.perform(get(path("g" + i)).header("Authorization", "Bearer it-admin"))
          .andExpect(status().isOk())
          .andExpect(jsonPath("$.location").value("local"))
          .andExpect(jsonPath("$.properties.osType").value("Linux"))
          .andExpect(jsonPath("$.properties.ipAddress.ports[0].port").value(80))
          .andExpect(
              jsonPath("$.properties.containers[0].properties.resources.requests.memoryInGB")
                  .value(1.5))
          .andExpect(
              jsonPath("$.properties.containers[0].properties.resources.requests.cpu").value(0.5))
          .andExpect(
              jsonPath("$.properties.containers[0].properties.environmentVariables[0].value")
                  .value("demo"))
          .andExpect(
              jsonPath("$.properties.containers[0].properties.resources.requests.memoryInGb")
                  .doesNotExist())
          .andExpect(jsonPath("$.Properties").doesNotExist());
    }
  }

  @Test
  void aNumberThatIsNotOneIsStillRefusedNamingTheField() throws Exception {
    mvc.perform(
            put(path("bad"))
                .header("Authorization", "Bearer it-admin")
                .contentType(MediaType.APPLICATION_JSON)
                .content(AS_TEMPLATES_WRITE_IT.replace("\"Cpu\":\"0.5\"", "\"Cpu\":\"half\"")))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.error.code").value("InvalidRequestContent"))
        .andExpect(
            jsonPath("$.error.target")
                .value("properties.containers[0].properties.resources.requests.cpu"));
    assertThat(
            jdbc.queryForObject(
                "select count(*) from container_groups where subscription_id = ?",
                Long.class,
                subscription))
        .isZero();
  }
}
