package dev.berth.service.config;

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
   * The lock provider every singleton job takes its lock from. A lock is a row: taken with an
   * {@code UPDATE ... WHERE lock_until <= now}, so a replica that finds it held skips the run
   * rather than waits. It uses the database's clock ({@code usingDbTime()}): the replicas' clocks
   * may differ, and a replica whose clock runs ahead would otherwise see a lock as expired while
   * its holder is still inside {@code lockAtMostFor}.
   */
  @Bean
  LockProvider singletonJobLocks(JdbcTemplate jdbc) {
    return new JdbcTemplateLockProvider(
        JdbcTemplateLockProvider.Configuration.builder()
            .withJdbcTemplate(jdbc)
            .withTableName("shedlock")
            .usingDbTime()
            .build());
  }
}
