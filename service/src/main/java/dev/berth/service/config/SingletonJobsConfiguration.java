package dev.berth.service.config;

import dev.berth.service.host.HostOwnership;
import java.util.concurrent.Executors;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Locks for the jobs that should run on one replica at a time (the metering tick, run checks,
 * closing months, and any other singleton job): ShedLock over the {@code shedlock} table.
 */
@Configuration(proxyBeanMethods = false)
class SingletonJobsConfiguration {

  /**
   * The lock provider every singleton job takes its lock from, as this replica (its name, which it
   * keeps across restarts).
   */
  @Bean
  LockProvider singletonJobLocks(JdbcTemplate jdbc, HostOwnership ownership) {
    return locks(jdbc, ownership.replica());
  }

  /**
   * A lock is a row: taken with an {@code UPDATE ... WHERE lock_until <= now}, so a replica that
   * finds it held skips the run rather than waits. It uses the database's clock ({@code
   * usingDbTime()}): the replicas' clocks may differ, and a replica whose clock runs ahead would
   * otherwise see a lock as expired while its holder is still inside {@code lockAtMostFor}.
   *
   * <p>A job's lock is short ({@code lockAtMostFor} 30 s, ShedLock's keep-alive minimum) and
   * extended every 15 s while the job runs ({@link KeepAliveLockProvider}), so a long run is never
   * joined by a second replica, and a replica killed in the middle of a job holds the job up for at
   * most 30 s: the survivors take it then. When the killed replica starts again under its name, the
   * process that held the lock is gone, so it lets the lock go at once, as it takes its host leases
   * back.
   */
  static LockProvider locks(JdbcTemplate jdbc, String replica) {
    jdbc.update(
        """
        update shedlock set lock_until = timezone('utc', current_timestamp)
         where locked_by = ? and lock_until > timezone('utc', current_timestamp)""",
        replica);
    var rows =
        new JdbcTemplateLockProvider(
            JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(jdbc)
                .withTableName("shedlock")
                .withLockedByValue(replica)
                .usingDbTime()
                .build());
    return new KeepAliveLockProvider(
        rows,
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "berth-lock-keepalive");
              t.setDaemon(true);
              return t;
            }));
  }
}
