package dev.berth.billing.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.billing.rating.Price;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InvoiceGeneratorTest {

  static final Price ACI = dev.berth.billing.rating.AciPrices.LINUX;

  @Test
  void oneLinePerGroupAndMonthRoundedOnceAndCorrectionsLinkedToTheirInvoice() {
    YearMonth nov = YearMonth.of(2026, 11);
    UUID october = UUID.randomUUID();
    List<LineQuantity> quantities =
        List.of(
            // b/web in two pieces (say two runs): summed before rounding, not rounded twice.
            new LineQuantity("s", nov, "b", "web", ACI.id(), 1800, 1_800_000, 2_764_800),
            new LineQuantity("s", nov, "b", "web", ACI.id(), 1800, 1_800_000, 2_764_800),
            new LineQuantity("s", nov, "a", "job", ACI.id(), 5, 5_000, 7_680),
            new LineQuantity(
                "s", nov.minusMonths(1), "a", "late", ACI.id(), 600, 600_000, 614_400));
    Invoice invoice =
        new InvoiceGenerator()
            .generate(
                "s",
                nov,
                Invoice.Status.FINAL,
                Instant.parse("2026-12-02T00:00:00Z"),
                "USD",
                quantities,
                Map.of(ACI.id(), ACI),
                m -> m.equals(nov.minusMonths(1)) ? october : null);

    assertThat(invoice.lines())
        .extracting(InvoiceLine::kind, InvoiceLine::resourceGroup, InvoiceLine::groupName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(InvoiceLine.Kind.USAGE, "a", "job"),
            org.assertj.core.groups.Tuple.tuple(InvoiceLine.Kind.USAGE, "b", "web"),
            org.assertj.core.groups.Tuple.tuple(InvoiceLine.Kind.CORRECTION, "a", "late"));
    InvoiceLine web = invoice.lines().get(1);
    // 3600 s of 1 vCPU and 1.5 GB: 0.0405 + 0.006696 = 0.047196, rounded once to 0.05.
    assertThat(web.billedSeconds()).isEqualTo(3600);
    assertThat(web.exactAmount().amount()).isEqualByComparingTo("0.047196");
    assertThat(web.amount().amount()).isEqualTo(new BigDecimal("0.05"));
    InvoiceLine late = invoice.lines().get(2);
    assertThat(late.usageMonth()).isEqualTo(nov.minusMonths(1));
    assertThat(late.correctsInvoice()).isEqualTo(october);
    // The total is the sum of the rounded lines: 0.00 + 0.05 + 0.01.
    assertThat(invoice.total().amount()).isEqualByComparingTo("0.06");
    assertThat(invoice.id()).isEqualTo(Invoice.idOf("s", nov));
  }
}
