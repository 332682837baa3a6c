package dev.berth.service.config;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Zero-setup PostgreSQL: real PostgreSQL binaries started from the jar, data kept in {@code
 * berth.data-dir}/postgres. Switched off as soon as {@code spring.datasource.url} is set.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceUrl.class)
public class EmbeddedPostgresConfiguration {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

  static class NoDatasourceUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("spring.datasource.url");
      return url == null || url.isBlank();
    }
  }

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(BerthProperties properties) throws IOException {
    Path dataDir = properties.dataDir().resolve("postgres");
    Files.createDirectories(dataDir);
    stopOrphanedPostmaster(dataDir);
    log.info("Starting embedded PostgreSQL in {}", dataDir);
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        // Stopped by the context, after everything that uses it (its destroy method runs after the
        // pool's and the background jobs'); the library's own JVM hook would stop it at once, in
        // parallel with the context's shutdown, and the jobs still running would fail against a
        // dead database. A postmaster left behind by a kill is stopped at the next start.
        .setRegisterShutdownHook(false)
        // The library turns synchronous commit off, so a commit would be acknowledged before its
        // WAL is written: PostgreSQL's processes killed within the WAL writer's delay would lose a
        // group whose PUT was answered. A commit waits for its WAL here (0.2 ms on this disk).
        .setServerConfig("synchronous_commit", "on")
        .start();
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(EmbeddedPostgres postgres) {
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
    pool.setMaximumPoolSize(10);
    pool.setPoolName("berth-embedded");
    // A local database that gives no connection in 5 s is down: the API says so (503) instead of
    // holding the request for the pool's default 30 s.
    pool.setConnectionTimeout(5_000);
    // Batched inserts (metering writes a segment per running group at each boundary) go as
    // multi-row statements instead of one round trip per row.
    pool.addDataSourceProperty("reWriteBatchedInserts", "true");
    return pool;
  }

  /**
   * After a kill -9 of Berth, the postmaster it started keeps running on the data directory and a
   * new one cannot start. The pid file names it; stop it (it is ours: the directory is ours).
   */
  private static void stopOrphanedPostmaster(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
    long pid;
    try {
      pid = Long.parseLong(first);
    } catch (NumberFormatException e) {
      return;
    }
    ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
        .ifPresent(
            p -> {
              log.warn(
                  "Stopping PostgreSQL (pid {}) left running by an earlier Berth process", pid);
              p.destroy();
              try {
                p.onExit().get(30, TimeUnit.SECONDS);
              } catch (Exception e) {
                p.destroyForcibly();
              }
            });
  }
}
