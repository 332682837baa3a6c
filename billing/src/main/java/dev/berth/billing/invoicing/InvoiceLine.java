package dev.berth.billing.invoicing;

import dev.berth.billing.rating.Money;
import java.time.YearMonth;
import java.util.UUID;

/**
 * One line of an invoice: one group's billed usage of one month.
 *
 * @param usageMonth the month the usage belongs to (earlier than the invoice's for a correction)
 * @param correctsInvoice the final invoice of {@code usageMonth} this line adds to, or null
 * @param exactAmount the exact sum of the line's rated seconds
 * @param amount {@code exactAmount} rounded once ({@link Money#roundedForInvoice()})
 */
public record InvoiceLine(
    int lineNo,
    Kind kind,
    String resourceGroup,
    String groupName,
    YearMonth usageMonth,
    UUID correctsInvoice,
    long billedSeconds,
    long milliCpuSeconds,
    long mibSeconds,
    Money exactAmount,
    Money amount) {

  public enum Kind {
    /** Usage of the invoice's own month. */
    USAGE,
    /** Usage of an earlier month recorded after that month's invoice was final. */
    CORRECTION
  }
}
