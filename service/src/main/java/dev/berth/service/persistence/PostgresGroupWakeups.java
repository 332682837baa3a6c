package dev.berth.service.persistence;

import dev.berth.service.host.GroupWakeups;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wake-ups between replicas through PostgreSQL's LISTEN/NOTIFY: a replica that changed a group
 * whose host another replica owns tells it at once instead of waiting for its next sweep. A lost
 * notification costs only latency: every owner sweeps its groups anyway.
 */
public final class PostgresGroupWakeups implements GroupWakeups, AutoCloseable {

  private static final Logger log = Logger.getLogger(PostgresGroupWakeups.class.getName());
  private static final String CHANNEL = "berth_groups";

  private final JdbcTemplate jdbc;
  private final DataSource dataSource;
  private volatile boolean listening;
  private Thread listener;

  public PostgresGroupWakeups(JdbcTemplate jdbc, DataSource dataSource) {
    this.jdbc = jdbc;
    this.dataSource = dataSource;
  }

  @Override
  public void wake(String hostId, UUID groupId) {
    jdbc.queryForList("select pg_notify(?, ?)", CHANNEL, hostId + " " + groupId);
  }

  /**
   * Listens on a connection of its own until closed, handing each wake-up (host id, group id) to
   * {@code woken}; reconnects after a failure.
   */
  public synchronized void listen(BiConsumer<String, UUID> woken) {
    if (listening) {
      return;
    }
    listening = true;
    listener = new Thread(() -> loop(woken), "berth-wakeups");
    listener.setDaemon(true);
    listener.start();
  }

  private void loop(BiConsumer<String, UUID> woken) {
    while (listening) {
      try (Connection connection = dataSource.getConnection()) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("listen " + CHANNEL);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (listening) {
          PGNotification[] notifications = pg.getNotifications(1000);
          if (notifications == null) {
            continue;
          }
          for (PGNotification n : notifications) {
            deliver(n.getParameter(), woken);
          }
        }
      } catch (Exception e) {
        if (listening) {
          log.log(Level.WARNING, "listening for wake-ups failed; listening again shortly", e);
          pause();
        }
      }
    }
  }

  private static void deliver(String payload, BiConsumer<String, UUID> woken) {
    int space = payload.lastIndexOf(' ');
    if (space > 0) {
      try {
        woken.accept(payload.substring(0, space), UUID.fromString(payload.substring(space + 1)));
      } catch (IllegalArgumentException notOurs) {
        log.fine("ignoring wake-up " + payload);
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listening = false;
    }
  }

  @Override
  public synchronized void close() {
    listening = false;
    if (listener != null) {
      listener.interrupt();
    }
  }
}
