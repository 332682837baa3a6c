-- Locks of singleton jobs (ShedLock's JdbcTemplate provider, its documented PostgreSQL schema): one
-- row per job, taken by setting lock_until. Berth's provider uses the database's clock
-- (usingDbTime: timezone('utc', current_timestamp)), hence timestamps without a time zone, in UTC.
CREATE TABLE shedlock(name VARCHAR(64) NOT NULL, lock_until TIMESTAMP NOT NULL,
    locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name));
