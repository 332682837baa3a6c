package dev.berth.billing.invoicing;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/** Final invoices, month closings, and the quantities invoices are built from. */
public interface InvoiceStore {

  /** When {@code month} was closed, if it was. */
  Optional<Instant> closedAt(YearMonth month);

  /** The last month closed, if any. */
  Optional<YearMonth> lastClosedMonth();

  /** The month of the earliest segment, if any. */
  Optional<YearMonth> firstMonthWithUsage();

  /**
   * A subscription's billed quantities for the invoice of {@code month}: segments of the month
   * recorded no later than {@code closedAt}, and segments of earlier months recorded after {@code
   * previousClosedAt} and no later than {@code closedAt}. A null {@code previousClosedAt} means no
   * corrections (the month before is not closed, so they are still its own); a null {@code
   * closedAt} means now (a draft).
   */
  List<LineQuantity> quantities(
      String subscriptionId, YearMonth month, Instant previousClosedAt, Instant closedAt);

  /**
   * Closes {@code month} for every subscription in one transaction: no segment can be recorded
   * while it runs, so each segment lands on exactly one invoice. {@code build} gets each
   * subscription's quantities and the closing time and returns the invoice to store.
   */
  void close(YearMonth month, Instant previousClosedAt, InvoiceBuilder build);

  Optional<Invoice> finalInvoice(String subscriptionId, YearMonth month);

  List<Invoice> finalInvoices(String subscriptionId);

  /** The months not closed yet in which the subscription has segments. */
  List<YearMonth> openMonthsWithUsage(String subscriptionId);

  @FunctionalInterface
  interface InvoiceBuilder {
    Invoice build(String subscriptionId, List<LineQuantity> quantities, Instant closedAt);
  }
}
