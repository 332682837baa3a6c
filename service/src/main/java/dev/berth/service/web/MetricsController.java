package dev.berth.service.web;

import dev.berth.api.server.MetricsApi;
import dev.berth.api.server.model.GroupMetrics;
import dev.berth.api.server.model.Metric;
import dev.berth.api.server.model.MetricPoint;
import dev.berth.api.server.model.MetricSeries;
import dev.berth.service.containergroup.GroupKey;
import dev.berth.service.containergroup.GroupValidator;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Violation;
import dev.berth.service.usage.ReadingGroupUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** A group's usage over time ({@link ReadingGroupUsage}). */
@RestController
public class MetricsController implements MetricsApi {

  private static final int MOST_POINTS = 1440;

  private final ReadingGroupUsage usage;
  private final GroupAccess access;
  private final Clock clock;

  public MetricsController(ReadingGroupUsage usage, GroupValidator validator, Clock clock) {
    this.usage = usage;
    this.access = new GroupAccess(validator);
    this.clock = clock;
  }

  @Override
  public ResponseEntity<GroupMetrics> containerGroupsMetrics(
      String subscriptionId,
      String resourceGroupName,
      String containerGroupName,
      String apiVersion,
      String timespan,
      String interval) {
    ApiVersions.check(apiVersion);
    GroupKey key = access.key(subscriptionId, resourceGroupName, containerGroupName);
    Duration span = duration(timespan, "timespan");
    Duration step = duration(interval, "interval");
    if (span.compareTo(usage.retention()) > 0) {
      throw invalid(
          "timespan is at most " + usage.retention() + ", as long as samples are kept.",
          "timespan");
    }
    if (step.compareTo(Duration.ofSeconds(1)) < 0 || step.compareTo(span) > 0) {
      throw invalid("interval is at least PT1S and at most the timespan.", "interval");
    }
    if (span.dividedBy(step) > MOST_POINTS) {
      throw invalid(
          "timespan / interval gives at most " + MOST_POINTS + " points; take a longer interval.",
          "interval");
    }
    Instant to = clock.instant();
    // Intervals begin at whole multiples of the interval, so asking again gives the same points.
    long stepMillis = step.toMillis();
    Instant from =
        Instant.ofEpochMilli(Math.floorDiv(to.minus(span).toEpochMilli(), stepMillis) * stepMillis);
    var series =
        usage
            .read(key, from, to, step)
            .orElseThrow(() -> GroupAccess.groupNotFound(resourceGroupName, containerGroupName));
    Map<String, Metric> metrics = new LinkedHashMap<>();
    for (ReadingGroupUsage.Series s : series) {
      Metric metric =
          metrics.computeIfAbsent(
              s.metric(),
              name ->
                  new Metric()
                      .name(Metric.NameEnum.fromValue(name))
                      .unit(Metric.UnitEnum.fromValue(s.unit())));
      MetricSeries out = new MetricSeries().container(s.container());
      for (ReadingGroupUsage.Point p : s.points()) {
        out.addDataItem(
            new MetricPoint().timeStamp(p.at().atOffset(ZoneOffset.UTC)).average(p.average()));
      }
      metric.addTimeseriesItem(out);
    }
    return ResponseEntity.ok(
        new GroupMetrics()
            .timespan(from + "/" + to)
            .interval(step.toString())
            .value(new java.util.ArrayList<>(metrics.values())));
  }

  private static Duration duration(String value, String target) {
    try {
      Duration d = Duration.parse(value);
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (DateTimeParseException | NullPointerException notADuration) {
      // refused below
    }
    throw invalid(
        target + " is an ISO 8601 duration greater than zero, such as PT1H or PT1M.", target);
  }

  private static InvalidRequestException invalid(String message, String target) {
    return new InvalidRequestException(new Violation("InvalidParameter", message, target));
  }
}
