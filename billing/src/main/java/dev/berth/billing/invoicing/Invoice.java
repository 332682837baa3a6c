package dev.berth.billing.invoicing;

import dev.berth.billing.rating.Money;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * A subscription's invoice for one calendar month (UTC).
 *
 * @param finalizedAt when the month was closed, or null for a draft
 */
public record Invoice(
    UUID id,
    String subscriptionId,
    YearMonth month,
    Status status,
    String currency,
    List<InvoiceLine> lines,
    Money total,
    Instant finalizedAt) {

  public Invoice {
    lines = List.copyOf(lines);
  }

  /** A draft while the month is open; final (and never edited) once it is closed. */
  public enum Status {
    DRAFT,
    FINAL
  }

  /** Where a billing month begins: its first instant, UTC. */
  public static Instant startOf(YearMonth month) {
    return month.atDay(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
  }

  public static UUID idOf(String subscriptionId, YearMonth month) {
    return UUID.nameUUIDFromBytes(
        ("invoice/" + subscriptionId + "/" + month).getBytes(StandardCharsets.UTF_8));
  }
}
