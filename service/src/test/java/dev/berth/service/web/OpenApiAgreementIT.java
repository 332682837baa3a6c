package dev.berth.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * openapi.yaml and the running service describe the same API: every operation of the spec is
 * answered by a controller of the started application (not by a generated default), and every HTTP
 * mapping the application serves is an operation of the spec, apart from the few that are not part
 * of the API (the dashboard's page, the spec and its Swagger UI page, and Spring's error page). The
 * SDK is generated from the spec, so a mapping the spec lacks is one its users cannot call, and an
 * operation no controller serves is one that answers 404.
 */
@SpringBootTest(properties = {"berth.hosts.register=", "berth.reconcile.sweep-interval=1h"})
class OpenApiAgreementIT {

  /** Served, but not part of the API the spec describes. */
  private static final Set<String> NOT_API =
      Set.of(
          "GET /dashboard",
          "GET /dashboard/",
          // The spec itself and Swagger UI's page over it (ApiDocsController).
          "GET /openapi.yaml",
          "GET /docs",
          "GET /docs/");

  static final Path dataDir = dev.berth.service.ItData.directory();

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("berth.data-dir", () -> dataDir.toString());
  }

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Test
  void theSpecAndTheControllersDescribeTheSameOperations() throws IOException {
    Map<String, String> specified = specOperations();
    Map<String, HandlerMethod> served = new TreeMap<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> m : mappings.getHandlerMethods().entrySet()) {
      Set<RequestMethod> methods = m.getKey().getMethodsCondition().getMethods();
      for (String pattern : m.getKey().getPatternValues()) {
        for (RequestMethod method : methods) {
          served.put(method.name() + " " + pattern, m.getValue());
        }
      }
    }
    served.keySet().removeIf(k -> k.endsWith(" /error") || NOT_API.contains(k));

    assertThat(served.keySet())
        .as("operations served and operations in openapi.yaml")
        .containsExactlyInAnyOrderElementsOf(specified.keySet());
    for (Map.Entry<String, HandlerMethod> s : served.entrySet()) {
      Class<?> declaring = s.getValue().getMethod().getDeclaringClass();
      assertThat(declaring.isInterface())
          .as(
              "%s (%s) is answered by a controller, not by the generated interface",
              s.getKey(), specified.get(s.getKey()))
          .isFalse();
      assertThat(declaring.getPackageName()).isEqualTo(getClass().getPackageName());
    }
  }

  /** "METHOD /path" to operationId, for every operation in openapi.yaml. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> specOperations() throws IOException {
    Map<String, Object> spec;
    try (Reader reader = Files.newBufferedReader(Path.of("../openapi/openapi.yaml"))) {
      spec = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    }
    Map<String, String> operations = new TreeMap<>();
    Set<String> verbs = new TreeSet<>(Set.of("get", "put", "post", "patch", "delete", "head"));
    for (var path : ((Map<String, Map<String, Object>>) spec.get("paths")).entrySet()) {
      for (var operation : path.getValue().entrySet()) {
        if (verbs.contains(operation.getKey())) {
          operations.put(
              operation.getKey().toUpperCase() + " " + path.getKey(),
              (String) ((Map<String, Object>) operation.getValue()).get("operationId"));
        }
      }
    }
    assertThat(operations).as("operations in openapi.yaml").isNotEmpty();
    return operations;
  }
}
