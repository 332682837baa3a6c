package dev.berth.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * One real PostgreSQL in the test JVM (zonky's embedded binaries, as the service uses), for tests
 * that run several Berth replicas on one database. Each {@link #newDatabase()} is a fresh database,
 * so tests never see each other's rows. Stopped when the test JVM exits.
 */
final class SharedPostgres {

  private static EmbeddedPostgres postgres;

  private SharedPostgres() {}

  private static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        Path dir =
            Path.of(System.getProperty("berth.workdir", "target/e2e"))
                .toAbsolutePath()
                .resolve("shared-postgres-" + UUID.randomUUID());
        Files.createDirectories(dir);
        postgres = EmbeddedPostgres.builder().setDataDirectory(dir).start();
        EmbeddedPostgres started = postgres;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        started.close();
                      } catch (IOException ignored) {
                        // The JVM is going away; nothing else to do with it.
                      }
                    },
                    "shared-postgres-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return postgres;
  }

  /**
   * A fresh database, as the environment a Berth replica needs to use it ({@code
   * SPRING_DATASOURCE_URL}, {@code _USERNAME}, {@code _PASSWORD}).
   */
  static Map<String, String> newDatabase() {
    String name = "berth_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = postgres().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return Map.of(
        "SPRING_DATASOURCE_URL",
        postgres().getJdbcUrl("postgres", name),
        "SPRING_DATASOURCE_USERNAME",
        "postgres",
        "SPRING_DATASOURCE_PASSWORD",
        "postgres");
  }
}
