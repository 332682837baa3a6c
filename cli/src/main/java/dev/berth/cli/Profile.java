package dev.berth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where {@code berth login} keeps the URL, the key and the default subscription: {@code
 * ~/.berth/cli.json} (or {@code $BERTH_CLI_CONFIG}), readable by its owner only, as az, kubectl and
 * docker keep theirs. {@code BERTH_URL}, {@code BERTH_KEY} and {@code BERTH_SUBSCRIPTION} override
 * it.
 */
record Profile(String url, String key, String subscription) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Path path() {
    String configured = System.getenv("BERTH_CLI_CONFIG");
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".berth", "cli.json");
  }

  static Profile load() throws IOException {
    String url = null;
    String key = null;
    String subscription = null;
    Path path = path();
    if (Files.exists(path)) {
      var stored = JSON.readTree(path.toFile());
      url = stored.path("url").asText(null);
      key = stored.path("key").asText(null);
      subscription = stored.path("subscription").asText(null);
    }
    return new Profile(
        env("BERTH_URL", url), env("BERTH_KEY", key), env("BERTH_SUBSCRIPTION", subscription));
  }

  private static String env(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value;
  }

  void save() throws IOException {
    Path path = path();
    Files.createDirectories(path.toAbsolutePath().getParent());
    ObjectNode stored = JSON.createObjectNode().put("url", url).put("key", key);
    if (subscription != null) {
      stored.put("subscription", subscription);
    }
    Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createFile(
        temporary,
        PosixFilePermissions.asFileAttribute(
            Set.of(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
    Files.writeString(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(stored));
    Files.move(temporary, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
