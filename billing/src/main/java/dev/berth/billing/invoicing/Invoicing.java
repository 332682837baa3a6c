package dev.berth.billing.invoicing;

import dev.berth.billing.rating.Price;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Invoices: drafts computed from the ledger while a month is open, final invoices written once when
 * it closes (a grace period after its end, in month order) and never edited afterwards.
 */
public final class Invoicing {

  private final InvoiceStore store;
  private final Supplier<Map<UUID, Price>> prices;
  private final Clock clock;
  private final Duration grace;
  private final String currency;
  private final java.util.function.BiFunction<String, YearMonth, List<LineQuantity>> accruing;
  private final InvoiceGenerator generator = new InvoiceGenerator();

  /**
   * @param accruing what running groups have accrued in a month beyond what is metered (a draft
   *     includes it; a final invoice, written a grace period after the month, has it metered)
   */
  public Invoicing(
      InvoiceStore store,
      Supplier<Map<UUID, Price>> prices,
      Clock clock,
      Duration grace,
      String currency,
      java.util.function.BiFunction<String, YearMonth, List<LineQuantity>> accruing) {
    this.accruing = accruing;
    this.store = store;
    this.prices = prices;
    this.clock = clock;
    this.grace = grace;
    this.currency = currency;
  }

  /** Closes every month whose grace period is over, oldest first; returns how many. */
  public int closeDueMonths() {
    Optional<YearMonth> next =
        store.lastClosedMonth().map(m -> m.plusMonths(1)).or(store::firstMonthWithUsage);
    int closed = 0;
    Instant now = clock.instant();
    while (next.isPresent()
        && !Invoice.startOf(next.get().plusMonths(1)).plus(grace).isAfter(now)) {
      YearMonth month = next.get();
      Instant previous = store.closedAt(month.minusMonths(1)).orElse(null);
      Map<UUID, Price> priced = prices.get();
      store.close(
          month,
          previous,
          (subscription, quantities, closedAt) ->
              generator.generate(
                  subscription,
                  month,
                  Invoice.Status.FINAL,
                  closedAt,
                  currency,
                  quantities,
                  priced,
                  m -> finalId(subscription, m)));
      closed++;
      next = Optional.of(month.plusMonths(1));
    }
    return closed;
  }

  private UUID finalId(String subscription, YearMonth month) {
    return store.finalInvoice(subscription, month).map(Invoice::id).orElse(null);
  }

  /** The invoice of a month: final once closed, else the draft as of now. */
  public Invoice invoice(String subscriptionId, YearMonth month) {
    Optional<Invoice> done = store.finalInvoice(subscriptionId, month);
    if (done.isPresent()) {
      return done.get();
    }
    Optional<Instant> closedAt = store.closedAt(month);
    if (closedAt.isPresent()) {
      // Closed with nothing to bill: an empty final invoice.
      return generator.generate(
          subscriptionId,
          month,
          Invoice.Status.FINAL,
          closedAt.get(),
          currency,
          List.of(),
          prices.get(),
          m -> null);
    }
    // Corrections go to the first month that closes after they were recorded: while the month
    // before is open too, they are still its own.
    List<LineQuantity> quantities =
        new ArrayList<>(
            store.quantities(
                subscriptionId, month, store.closedAt(month.minusMonths(1)).orElse(null), null));
    quantities.addAll(accruing.apply(subscriptionId, month));
    return generator.generate(
        subscriptionId,
        month,
        Invoice.Status.DRAFT,
        null,
        currency,
        quantities,
        prices.get(),
        m -> finalId(subscriptionId, m));
  }

  /** The subscription's invoices, newest first: final ones and the drafts of open months. */
  public List<Invoice> invoices(String subscriptionId) {
    List<Invoice> all = new ArrayList<>(store.finalInvoices(subscriptionId));
    YearMonth current = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    List<YearMonth> open = new ArrayList<>(store.openMonthsWithUsage(subscriptionId));
    if (!open.contains(current)) {
      open.add(current);
    }
    for (YearMonth month : open) {
      if (all.stream().noneMatch(i -> i.month().equals(month))) {
        all.add(invoice(subscriptionId, month));
      }
    }
    all.sort(Comparator.comparing(Invoice::month).reversed());
    return all;
  }
}
