package dev.berth.billing.persistence;

import static dev.berth.billing.persistence.Sql.ts;

import dev.berth.billing.invoicing.Invoice;
import dev.berth.billing.invoicing.InvoiceLine;
import dev.berth.billing.invoicing.InvoiceStore;
import dev.berth.billing.invoicing.LineQuantity;
import dev.berth.billing.rating.Money;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Invoices and month closings in PostgreSQL. */
public final class JdbcInvoiceStore implements InvoiceStore {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final String currency;

  public JdbcInvoiceStore(JdbcTemplate jdbc, TransactionTemplate tx, String currency) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.currency = currency;
  }

  private static YearMonth month(Instant t) {
    return YearMonth.from(t.atZone(ZoneOffset.UTC));
  }

  @Override
  public Optional<Instant> closedAt(YearMonth month) {
    return jdbc
        .query(
            "select closed_at from billing_month_closings where month_start = ?",
            (rs, i) -> Sql.instant(rs, "closed_at"),
            ts(Invoice.startOf(month)))
        .stream()
        .findFirst();
  }

  @Override
  public Optional<YearMonth> lastClosedMonth() {
    return jdbc
        .query(
            "select max(month_start) as m from billing_month_closings",
            (rs, i) -> Sql.instant(rs, "m"))
        .stream()
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .map(JdbcInvoiceStore::month);
  }

  @Override
  public Optional<YearMonth> firstMonthWithUsage() {
    return jdbc
        .query("select min(start_at) as m from usage_segments", (rs, i) -> Sql.instant(rs, "m"))
        .stream()
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .map(JdbcInvoiceStore::month);
  }

  /** The quantities of one invoice month; with subscription null, of every subscription. */
  private List<LineQuantity> select(
      String subscriptionId, YearMonth month, Instant previousClosedAt, Instant closedAt) {
    return jdbc.query(
        "select s.subscription_id, date_trunc('month', s.start_at, 'UTC') as usage_month,"
            + " r.resource_group, r.group_name, p.price_id, "
            + JdbcUsageQueries.SECONDS
            + " as seconds, sum(s.milli_cpu_seconds) as mcs, sum(s.mib_seconds) as mibs"
            + " from usage_segments s join usage_runs r on r.run_id = s.run_id"
            + JdbcUsageQueries.PRICED
            + " where s.billable and (?::text is null or s.subscription_id = ?)"
            + " and (?::timestamptz is null or s.recorded_at <= ?)"
            + " and ((s.start_at >= ? and s.start_at < ?)"
            + " or (?::timestamptz is not null and s.start_at < ? and s.recorded_at > ?))"
            + " group by 1, 2, 3, 4, 5",
        (rs, i) ->
            new LineQuantity(
                rs.getString("subscription_id"),
                month(Sql.instant(rs, "usage_month")),
                rs.getString("resource_group"),
                rs.getString("group_name"),
                rs.getObject("price_id", UUID.class),
                rs.getLong("seconds"),
                rs.getLong("mcs"),
                rs.getLong("mibs")),
        currency,
        subscriptionId,
        subscriptionId,
        ts(closedAt),
        ts(closedAt),
        ts(Invoice.startOf(month)),
        ts(Invoice.startOf(month.plusMonths(1))),
        ts(previousClosedAt),
        ts(Invoice.startOf(month)),
        ts(previousClosedAt));
  }

  @Override
  public List<LineQuantity> quantities(
      String subscriptionId, YearMonth month, Instant previousClosedAt, Instant closedAt) {
    return select(subscriptionId, month, previousClosedAt, closedAt);
  }

  @Override
  public void close(YearMonth month, Instant previousClosedAt, InvoiceBuilder build) {
    tx.executeWithoutResult(
        status -> {
          // Waits for segment writes in flight and holds off new ones until this commits: every
          // segment is recorded either before closed_at (and on this month's invoices) or after.
          jdbc.execute("lock table usage_segments in share mode");
          Instant closedAt =
              jdbc.queryForObject("select clock_timestamp() as t", (rs, i) -> Sql.instant(rs, "t"));
          jdbc.update(
              "insert into billing_month_closings (month_start, closed_at) values (?, ?)",
              ts(Invoice.startOf(month)),
              ts(closedAt));
          Map<String, List<LineQuantity>> bySubscription = new LinkedHashMap<>();
          for (LineQuantity q : select(null, month, previousClosedAt, closedAt)) {
            bySubscription.computeIfAbsent(q.subscriptionId(), k -> new ArrayList<>()).add(q);
          }
          bySubscription.forEach(
              (subscription, quantities) ->
                  insert(build.build(subscription, quantities, closedAt)));
        });
  }

  private void insert(Invoice invoice) {
    jdbc.update(
        "insert into invoices (invoice_id, subscription_id, period_start, period_end, currency,"
            + " total, finalized_at) values (?, ?, ?, ?, ?, ?, ?)",
        invoice.id(),
        invoice.subscriptionId(),
        ts(Invoice.startOf(invoice.month())),
        ts(Invoice.startOf(invoice.month().plusMonths(1))),
        invoice.currency(),
        invoice.total().amount(),
        ts(invoice.finalizedAt()));
    jdbc.batchUpdate(
        "insert into invoice_lines (invoice_id, line_no, kind, resource_group, group_name,"
            + " usage_month, corrects_invoice, billed_seconds, milli_cpu_seconds, mib_seconds,"
            + " exact_amount, amount) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        invoice.lines().stream()
            .map(
                l ->
                    new Object[] {
                      invoice.id(),
                      l.lineNo(),
                      l.kind().name(),
                      l.resourceGroup(),
                      l.groupName(),
                      ts(Invoice.startOf(l.usageMonth())),
                      l.correctsInvoice(),
                      l.billedSeconds(),
                      l.milliCpuSeconds(),
                      l.mibSeconds(),
                      l.exactAmount().amount(),
                      l.amount().amount()
                    })
            .toList());
  }

  @Override
  public Optional<Invoice> finalInvoice(String subscriptionId, YearMonth month) {
    return read(
            "i.subscription_id = ? and i.period_start = ?",
            subscriptionId,
            ts(Invoice.startOf(month)))
        .stream()
        .findFirst();
  }

  @Override
  public List<Invoice> finalInvoices(String subscriptionId) {
    return read("i.subscription_id = ?", subscriptionId);
  }

  private List<Invoice> read(String where, Object... args) {
    Map<UUID, Invoice> invoices = new LinkedHashMap<>();
    Map<UUID, List<InvoiceLine>> lines = new LinkedHashMap<>();
    jdbc.query(
        "select i.*, l.line_no, l.kind, l.resource_group, l.group_name, l.usage_month,"
            + " l.corrects_invoice, l.billed_seconds, l.milli_cpu_seconds, l.mib_seconds,"
            + " l.exact_amount, l.amount from invoices i"
            + " left join invoice_lines l on l.invoice_id = i.invoice_id where "
            + where
            + " order by i.period_start desc, l.line_no",
        rs -> {
          UUID id = rs.getObject("invoice_id", UUID.class);
          String cur = rs.getString("currency");
          if (!invoices.containsKey(id)) {
            invoices.put(
                id,
                new Invoice(
                    id,
                    rs.getString("subscription_id"),
                    month(Sql.instant(rs, "period_start")),
                    Invoice.Status.FINAL,
                    cur,
                    List.of(),
                    new Money(rs.getBigDecimal("total"), cur),
                    Sql.instant(rs, "finalized_at")));
          }
          List<InvoiceLine> own = lines.computeIfAbsent(id, k -> new ArrayList<>());
          if (rs.getObject("line_no") != null) {
            own.add(
                new InvoiceLine(
                    rs.getInt("line_no"),
                    InvoiceLine.Kind.valueOf(rs.getString("kind")),
                    rs.getString("resource_group"),
                    rs.getString("group_name"),
                    month(Sql.instant(rs, "usage_month")),
                    rs.getObject("corrects_invoice", UUID.class),
                    rs.getLong("billed_seconds"),
                    rs.getLong("milli_cpu_seconds"),
                    rs.getLong("mib_seconds"),
                    new Money(rs.getBigDecimal("exact_amount"), cur),
                    new Money(rs.getBigDecimal("amount"), cur)));
          }
        },
        args);
    return invoices.values().stream()
        .map(
            i ->
                new Invoice(
                    i.id(),
                    i.subscriptionId(),
                    i.month(),
                    i.status(),
                    i.currency(),
                    lines.get(i.id()),
                    i.total(),
                    i.finalizedAt()))
        .toList();
  }

  @Override
  public List<YearMonth> openMonthsWithUsage(String subscriptionId) {
    return jdbc.query(
        "select distinct date_trunc('month', start_at, 'UTC') as m from usage_segments"
            + " where subscription_id = ? and billable and start_at >= coalesce((select"
            + " max(month_start) + interval '1 month' from billing_month_closings), '-infinity')",
        (rs, i) -> month(Sql.instant(rs, "m")),
        subscriptionId);
  }
}
