package dev.berth.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Data directories of the integration tests' embedded PostgreSQL: under target/ (so mvn clean
 * removes them), not JUnit @TempDirs, because the database belongs to Spring's cached test context,
 * which outlives the test class and may still be writing when JUnit would delete the directory.
 */
public final class ItData {

  private ItData() {}

  public static Path directory() {
    try {
      Path root = Files.createDirectories(Path.of("target", "it-data"));
      return Files.createTempDirectory(root, "db-").toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
