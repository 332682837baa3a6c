package dev.berth.service.config;

import dev.berth.service.host.HostOwnership;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
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
   * <p>A replica killed in the middle of a job leaves its lock held until {@code lockAtMostFor} (up
   * to 30 min). When it starts again under its name, the process that held the lock is gone, so it
   * lets the lock go at once, as it takes its host leases back.
   */
  static LockProvider locks(JdbcTemplate jdbc, String replica) {
    jdbc.update(
        """
        update shedlock set lock_until = timezone('utc', current_timestamp)
         where locked_by = ? and lock_until > timezone('utc', current_timestamp)""",
        replica);
    return new JdbcTemplateLockProvider(
        JdbcTemplateLockProvider.Configuration.builder()
            .withJdbcTemplate(jdbc)
            .withTableName("shedlock")
            .withLockedByValue(replica)
            .usingDbTime()
            .build());
  }
}
