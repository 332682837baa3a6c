package dev.berth.billing.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunCheckTest {

  static final Instant START = Instant.parse("2026-04-01T10:00:00.700Z");

  static UsageRun finished(Instant end, EndReason reason) {
    UUID group = UUID.randomUUID();
    return new UsageRun(
        RunIds.run(group, 1),
        group,
        "s",
        "rg",
        "g",
        1,
        "local",
        1000,
        1024,
        START,
        Meter.floorSecond(START),
        end,
        Meter.floorSecond(end),
        reason,
        Meter.floorSecond(end),
        null,
        null);
  }

  @Test
  void aRunMeteredToTheTruncatedSecondsOfTheEnginesTimesMatches() {
    Instant end = START.plusSeconds(5).plusMillis(100); // 10:00:05.800: 5.1 s, metered 5 s
    UsageRun run = finished(end, EndReason.COMPLETED);
    RunCheck check =
        RunCheck.of(
            run, 5, 5, Optional.of(new EngineRecords.EngineSpan(START, end)), Instant.now());
    assertThat(check.matches()).isTrue();
    assertThat(check.engineMillis()).isEqualTo(5100);
    assertThat(check.detail()).contains("the engine, read again");
  }

  @Test
  void segmentsThatDoNotCoverTheRunAreAMismatch() {
    UsageRun run = finished(START.plusSeconds(10), EndReason.COMPLETED);
    assertThat(RunCheck.of(run, 9, 9, Optional.empty(), Instant.now()).matches()).isFalse();
  }

  @Test
  void anEngineThatRanLongerThanTheLedgerSaysIsAMismatch() {
    Instant end = START.plusSeconds(10);
    UsageRun run = finished(end, EndReason.COMPLETED);
    // The engine says the run went on 3 s past the end the ledger recorded.
    RunCheck check =
        RunCheck.of(
            run,
            10,
            10,
            Optional.of(new EngineRecords.EngineSpan(START, end.plusSeconds(3))),
            Instant.now());
    assertThat(check.matches()).isFalse();
    assertThat(check.detail()).contains("13000 ms");
  }

  @Test
  void aContainerStartedAgainKeepsTheRecordedFirstStart() {
    Instant end = START.plusSeconds(30);
    UsageRun run = finished(end, EndReason.STOPPED);
    // After a restart the engine reports the last start only; the recorded first start stands.
    RunCheck check =
        RunCheck.of(
            run,
            30,
            30,
            Optional.of(new EngineRecords.EngineSpan(START.plusSeconds(20), end)),
            Instant.now());
    assertThat(check.matches()).isTrue();
    assertThat(check.engineMillis()).isEqualTo(30_000);
  }

  @Test
  void aDeletedRunIsCheckedAgainstBerthsClockAndSaysSo() {
    UsageRun run = finished(START.plusSeconds(8), EndReason.DELETED);
    RunCheck check = RunCheck.of(run, 8, 8, Optional.empty(), Instant.now());
    assertThat(check.matches()).isTrue();
    assertThat(check.detail()).contains("Berth's clock at the deletion");
  }
}
