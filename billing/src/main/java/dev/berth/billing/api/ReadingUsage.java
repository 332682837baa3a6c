package dev.berth.billing.api;

import dev.berth.billing.metering.Meter;
import dev.berth.billing.metering.RunWitnesses;
import dev.berth.billing.metering.UsageRun;
import dev.berth.billing.metering.UsageSegment;
import dev.berth.billing.rating.Money;
import dev.berth.billing.rating.Price;
import dev.berth.billing.rating.PriceBook;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Usage and cost as the API shows them: what the ledger holds, plus what has accrued beyond a
 * running run's cursor (computed with the same {@link Meter}, not written), rated with the price
 * book. Costs here are exact; only invoice lines are rounded.
 */
public final class ReadingUsage {

  private final UsageQueries queries;
  private final RunWitnesses witnesses;
  private final Meter meter;
  private final Clock clock;
  private final String currency;

  public ReadingUsage(
      UsageQueries queries, RunWitnesses witnesses, Meter meter, Clock clock, String currency) {
    this.queries = queries;
    this.witnesses = witnesses;
    this.meter = meter;
    this.clock = clock;
    this.currency = currency;
  }

  /** One price's share of a run: the quantity billed at it and what it cost. */
  public record Charge(
      Price price, long seconds, long milliCpuSeconds, long mibSeconds, Money cost) {}

  /**
   * @param billedSeconds seconds billed so far (including what has accrued beyond the cursor)
   * @param unbilledSeconds seconds lost to a platform fault, not billed
   * @param accruedThrough the moment up to which seconds are counted
   * @param costPerSecond what one more second of this run costs at today's price
   */
  public record RunUsage(
      UsageRun run,
      long billedSeconds,
      long unbilledSeconds,
      boolean running,
      Instant accruedThrough,
      List<Charge> charges,
      Money cost,
      Money costPerSecond) {}

  public record GroupUsage(String currency, List<RunUsage> runs, Money totalCost) {}

  /** Totals of one row: seconds, milli-vCPU-seconds, MiB-seconds and cost. */
  public record Totals(long seconds, long milliCpuSeconds, long mibSeconds, Money cost) {

    Totals plus(Totals o) {
      return new Totals(
          seconds + o.seconds,
          milliCpuSeconds + o.milliCpuSeconds,
          mibSeconds + o.mibSeconds,
          cost.plus(o.cost));
    }
  }

  public record Row(Instant bucket, String resourceGroup, String groupName, Totals totals) {}

  public record GroupTotal(
      String resourceGroup,
      String groupName,
      Totals totals,
      boolean running,
      Money costPerSecond) {}

  public record SubscriptionUsage(
      String currency,
      Instant from,
      Instant to,
      Granularity granularity,
      Money totalCost,
      List<GroupTotal> byGroup,
      Map<String, Totals> byResourceGroup,
      Map<Instant, Totals> timeSeries,
      List<Row> rows) {}

  /**
   * What a subscription's running groups have accrued in {@code month} beyond what is metered, as
   * invoice quantities: a draft invoice is as current as the usage API.
   */
  public List<dev.berth.billing.invoicing.LineQuantity> accruing(
      String subscriptionId, java.time.YearMonth month) {
    PriceBook book = book();
    Instant now = clock.instant();
    RunWitnesses seen = witnesses.now();
    List<dev.berth.billing.invoicing.LineQuantity> result = new ArrayList<>();
    for (UsageRun run : queries.openRuns(subscriptionId)) {
      for (UsageSegment s : accrued(run, seen, now)) {
        java.time.YearMonth of =
            java.time.YearMonth.from(s.start().atZone(java.time.ZoneOffset.UTC));
        if (s.billable() && of.equals(month)) {
          result.add(
              new dev.berth.billing.invoicing.LineQuantity(
                  subscriptionId,
                  of,
                  run.resourceGroup(),
                  run.groupName(),
                  book.at(s.start()).id(),
                  s.seconds(),
                  s.milliCpuSeconds(),
                  s.mibSeconds()));
        }
      }
    }
    return result;
  }

  /** What a run has accrued beyond its cursor, as the meter would write it now (not written). */
  private List<UsageSegment> accrued(UsageRun run, RunWitnesses seen, Instant now) {
    return run.closed() ? List.of() : meter.pending(run, seen.witness(run), now);
  }

  private static Map<UUID, Price> byId(PriceBook book) {
    return book.prices().stream().collect(Collectors.toMap(Price::id, Function.identity()));
  }

  /** Subscriptions with any usage. */
  public List<String> subscriptions() {
    return queries.subscriptions();
  }

  /** The price book of the billing currency. */
  public PriceBook book() {
    return new PriceBook(currency, queries.prices());
  }

  /** Every run of the groups that had this name, with its cost, oldest first. */
  public GroupUsage ofGroup(String subscriptionId, String resourceGroup, String name) {
    return of(queries.runsOfGroupNamed(subscriptionId, resourceGroup, name));
  }

  /** Every run of a group with its cost, oldest first. */
  public GroupUsage ofGroup(UUID groupId) {
    return of(queries.runsOfGroup(groupId));
  }

  private GroupUsage of(List<UsageRun> runs) {
    PriceBook book = book();
    Map<UUID, Price> prices = byId(book);
    Instant now = clock.instant();
    RunWitnesses seen = witnesses.now();
    Map<UUID, List<Quantity>> metered =
        queries.quantitiesByRun(runs.stream().map(UsageRun::runId).toList());
    List<RunUsage> result = new ArrayList<>();
    Money total = Money.zero(currency);
    for (UsageRun run : runs) {
      List<Quantity> quantities = new ArrayList<>(metered.getOrDefault(run.runId(), List.of()));
      Instant through = run.billedThrough();
      for (UsageSegment s : accrued(run, seen, now)) {
        quantities.add(quantityOf(s, book));
        through = s.end();
      }
      RunUsage usage = rate(run, quantities, prices, book.at(now), through);
      result.add(usage);
      total = total.plus(usage.cost());
    }
    return new GroupUsage(currency, result, total);
  }

  private RunUsage rate(
      UsageRun run,
      List<Quantity> quantities,
      Map<UUID, Price> prices,
      Price current,
      Instant through) {
    Map<UUID, Quantity> billed = new LinkedHashMap<>();
    long unbilled = 0;
    for (Quantity q : quantities) {
      if (q.billable()) {
        billed.merge(q.priceId(), q, Quantity::plus);
      } else {
        unbilled += q.seconds();
      }
    }
    List<Charge> charges = new ArrayList<>();
    Money cost = Money.zero(currency);
    long seconds = 0;
    for (Quantity q : billed.values()) {
      Price price = prices.get(q.priceId());
      Money c = PriceBook.cost(q.milliCpuSeconds(), q.mibSeconds(), price);
      charges.add(new Charge(price, q.seconds(), q.milliCpuSeconds(), q.mibSeconds(), c));
      cost = cost.plus(c);
      seconds += q.seconds();
    }
    charges.sort(Comparator.comparing(c -> c.price().validFrom()));
    boolean running = !run.ended();
    Money perSecond = PriceBook.cost(run.milliCpu(), run.memoryMiB(), current);
    return new RunUsage(run, seconds, unbilled, running, through, charges, cost, perSecond);
  }

  private static Quantity quantityOf(UsageSegment s, PriceBook book) {
    return new Quantity(
        book.at(s.start()).id(), s.billable(), s.seconds(), s.milliCpuSeconds(), s.mibSeconds());
  }

  /** A subscription's billed usage starting in {@code [from, to)}, with what is accruing now. */
  public SubscriptionUsage ofSubscription(
      String subscriptionId, Instant from, Instant to, Granularity granularity) {
    PriceBook book = book();
    Map<UUID, Price> prices = byId(book);
    Map<String, Row> rows = new LinkedHashMap<>();
    for (UsageQueries.BucketQuantity b : queries.bucketed(subscriptionId, from, to, granularity)) {
      add(rows, b.bucket(), b.resourceGroup(), b.groupName(), b.quantity(), prices);
    }
    Instant now = clock.instant();
    RunWitnesses seen = witnesses.now();
    // What each running group costs per second now, by "resource group/name".
    Map<String, Money> running = new LinkedHashMap<>();
    for (UsageRun run : queries.openRuns(subscriptionId)) {
      for (UsageSegment s : accrued(run, seen, now)) {
        if (s.billable() && !s.start().isBefore(from) && s.start().isBefore(to)) {
          add(
              rows,
              granularity.bucketOf(s.start()),
              run.resourceGroup(),
              run.groupName(),
              quantityOf(s, book),
              prices);
        }
      }
      if (!run.ended()) {
        running.put(
            run.resourceGroup() + "/" + run.groupName(),
            PriceBook.cost(run.milliCpu(), run.memoryMiB(), book.at(now)));
      }
    }
    List<Row> sorted =
        rows.values().stream()
            .sorted(
                Comparator.comparing(Row::bucket)
                    .thenComparing(Row::resourceGroup)
                    .thenComparing(Row::groupName))
            .toList();
    Totals zero = new Totals(0, 0, 0, Money.zero(currency));
    Map<String, Totals> byGroup = new java.util.TreeMap<>();
    Map<String, Totals> byResourceGroup = new java.util.TreeMap<>();
    Map<Instant, Totals> series = new java.util.TreeMap<>();
    Money total = Money.zero(currency);
    for (Row r : sorted) {
      byGroup.merge(r.resourceGroup() + "/" + r.groupName(), r.totals(), Totals::plus);
      byResourceGroup.merge(r.resourceGroup(), r.totals(), Totals::plus);
      series.merge(r.bucket(), r.totals(), Totals::plus);
      total = total.plus(r.totals().cost());
    }
    // A running group shows (and its resource group) before its first second is confirmed.
    running.keySet().forEach(k -> byGroup.putIfAbsent(k, zero));
    running
        .keySet()
        .forEach(k -> byResourceGroup.putIfAbsent(k.substring(0, k.indexOf('/')), zero));
    List<GroupTotal> groups = new ArrayList<>();
    byGroup.forEach(
        (key, totals) -> {
          int slash = key.indexOf('/');
          Money rate = running.get(key);
          groups.add(
              new GroupTotal(
                  key.substring(0, slash),
                  key.substring(slash + 1),
                  totals,
                  rate != null,
                  rate == null ? Money.zero(currency) : rate));
        });
    return new SubscriptionUsage(
        currency, from, to, granularity, total, groups, byResourceGroup, series, sorted);
  }

  private void add(
      Map<String, Row> rows,
      Instant bucket,
      String resourceGroup,
      String groupName,
      Quantity q,
      Map<UUID, Price> prices) {
    Money cost = PriceBook.cost(q.milliCpuSeconds(), q.mibSeconds(), prices.get(q.priceId()));
    Totals totals = new Totals(q.seconds(), q.milliCpuSeconds(), q.mibSeconds(), cost);
    rows.merge(
        bucket + "|" + resourceGroup + "|" + groupName,
        new Row(bucket, resourceGroup, groupName, totals),
        (a, b) ->
            new Row(a.bucket(), a.resourceGroup(), a.groupName(), a.totals().plus(b.totals())));
  }
}
