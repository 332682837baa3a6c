package dev.berth.billing.invoicing;

import dev.berth.billing.rating.Money;
import dev.berth.billing.rating.Price;
import dev.berth.billing.rating.PriceBook;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Builds an invoice from summed quantities: a pure function. One line per group and usage month
 * (its own month first, then corrections of earlier months); each line's exact amount is the sum of
 * its quantities at their prices, rounded once; the total is the sum of the rounded lines.
 */
public final class InvoiceGenerator {

  /**
   * @param finalInvoiceOf the id of the final invoice of an earlier month, if there is one
   */
  public Invoice generate(
      String subscriptionId,
      YearMonth month,
      Invoice.Status status,
      Instant finalizedAt,
      String currency,
      List<LineQuantity> quantities,
      Map<UUID, Price> prices,
      Function<YearMonth, UUID> finalInvoiceOf) {
    record Key(YearMonth usageMonth, String resourceGroup, String groupName) {}
    Map<Key, long[]> sums = new LinkedHashMap<>();
    Map<Key, Money> exact = new LinkedHashMap<>();
    for (LineQuantity q : quantities) {
      Key key = new Key(q.usageMonth(), q.resourceGroup(), q.groupName());
      long[] s = sums.computeIfAbsent(key, k -> new long[3]);
      s[0] += q.seconds();
      s[1] += q.milliCpuSeconds();
      s[2] += q.mibSeconds();
      Price price = prices.get(q.priceId());
      exact.merge(key, PriceBook.cost(q.milliCpuSeconds(), q.mibSeconds(), price), Money::plus);
    }
    List<Key> keys = new ArrayList<>(sums.keySet());
    keys.sort(
        Comparator.comparing((Key k) -> !k.usageMonth().equals(month))
            .thenComparing(Key::usageMonth)
            .thenComparing(Key::resourceGroup)
            .thenComparing(Key::groupName));
    List<InvoiceLine> lines = new ArrayList<>();
    Money total = Money.zero(currency);
    for (Key k : keys) {
      long[] s = sums.get(k);
      Money amount = exact.get(k).roundedForInvoice();
      boolean own = k.usageMonth().equals(month);
      lines.add(
          new InvoiceLine(
              lines.size() + 1,
              own ? InvoiceLine.Kind.USAGE : InvoiceLine.Kind.CORRECTION,
              k.resourceGroup(),
              k.groupName(),
              k.usageMonth(),
              own ? null : finalInvoiceOf.apply(k.usageMonth()),
              s[0],
              s[1],
              s[2],
              exact.get(k),
              amount));
      total = total.plus(amount);
    }
    return new Invoice(
        Invoice.idOf(subscriptionId, month),
        subscriptionId,
        month,
        status,
        currency,
        lines,
        total,
        finalizedAt);
  }
}
