package dev.berth.service.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The API's description: openapi.yaml (the file the server interfaces and the SDK are generated
 * from) at /openapi.yaml, and Swagger UI over it at /docs. Neither holds data, so neither needs a
 * key; the calls Swagger UI makes do. The file's one server is this Berth as the caller reached it,
 * so "Try it out" calls the Berth the page came from.
 */
@Controller
public class ApiDocsController {

  static final String SPEC = "api/openapi.yaml";
  private static final String SPEC_SERVER = "  - url: http://localhost:8080\n";

  private final String spec;

  public ApiDocsController() {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(SPEC)) {
      if (in == null) {
        throw new IllegalStateException(SPEC + " is not on the classpath");
      }
      spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!spec.contains(SPEC_SERVER)) {
      throw new IllegalStateException(SPEC + " no longer names its server as " + SPEC_SERVER);
    }
  }

  @GetMapping("/openapi.yaml")
  public ResponseEntity<String> openApi() {
    String here = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    return ResponseEntity.ok()
        .contentType(new MediaType("application", "yaml", StandardCharsets.UTF_8))
        .body(spec.replace(SPEC_SERVER, "  - url: " + here + "\n"));
  }

  @GetMapping({"/docs", "/docs/"})
  public String docs() {
    return "forward:/docs/index.html";
  }
}
