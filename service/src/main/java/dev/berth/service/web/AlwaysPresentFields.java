package dev.berth.service.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.api.server.model.ApiKeyListResult;
import dev.berth.api.server.model.CapabilitiesListResult;
import dev.berth.api.server.model.ContainerExecResponse;
import dev.berth.api.server.model.ContainerGroupListResult;
import dev.berth.api.server.model.Logs;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Responses leave out empty fields (as ACI's do), but some fields are read unconditionally: a
 * list's {@code value} must say {@code []} when empty, logs' {@code content} and exec's output
 * {@code ""}.
 */
public final class AlwaysPresentFields {

  private AlwaysPresentFields() {}

  abstract static class ValueAlways {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract List<?> getValue();
  }

  abstract static class ContentAlways {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract String getContent();
  }

  /** An empty output is "" (not left out); an interactive exec's answer has no output at all. */
  abstract static class OutputAlways {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract String getStdout();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract String getStderr();
  }

  abstract static class LinesAlways {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract List<?> getLines();
  }

  abstract static class RunsAlways {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract List<?> getRuns();
  }

  abstract static class ChargesAlways {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract List<?> getCharges();
  }

  abstract static class BreakdownsAlways {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract List<?> getByGroup();

    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract List<?> getByResourceGroup();

    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract List<?> getTimeSeries();
  }

  public static void register(JsonMapper.Builder builder) {
    builder.addMixIn(dev.berth.api.server.model.ReconciliationReport.class, ValueAlways.class);
    builder.addMixIn(dev.berth.api.server.model.InvoiceListResult.class, ValueAlways.class);
    builder.addMixIn(dev.berth.api.server.model.SubscriptionListResult.class, ValueAlways.class);
    builder.addMixIn(dev.berth.api.server.model.PriceListResult.class, ValueAlways.class);
    builder.addMixIn(dev.berth.api.server.model.Invoice.class, LinesAlways.class);
    builder.addMixIn(dev.berth.api.server.model.GroupUsage.class, RunsAlways.class);
    builder.addMixIn(dev.berth.api.server.model.RunUsage.class, ChargesAlways.class);
    builder.addMixIn(dev.berth.api.server.model.SubscriptionUsage.class, BreakdownsAlways.class);
    builder.addMixIn(Logs.class, ContentAlways.class);
    builder.addMixIn(ContainerExecResponse.class, OutputAlways.class);
    builder.addMixIn(ContainerGroupListResult.class, ValueAlways.class);
    builder.addMixIn(CapabilitiesListResult.class, ValueAlways.class);
    builder.addMixIn(ApiKeyListResult.class, ValueAlways.class);
    builder.addMixIn(dev.berth.api.server.model.WebhookList.class, ValueAlways.class);
    builder.addMixIn(dev.berth.api.server.model.WebhookDeliveryList.class, ValueAlways.class);
    builder.addMixIn(dev.berth.api.server.model.GroupMetrics.class, ValueAlways.class);
    builder.addMixIn(dev.berth.api.server.model.Metric.class, TimeseriesAlways.class);
    builder.addMixIn(dev.berth.api.server.model.MetricSeries.class, DataAlways.class);
  }

  abstract static class TimeseriesAlways {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract List<?> getTimeseries();
  }

  abstract static class DataAlways {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract List<?> getData();
  }

  /** A list of stream events: {@code value} is {@code []} when there is none. */
  public record EventList(
      @JsonInclude(JsonInclude.Include.ALWAYS) List<java.util.Map<String, Object>> value,
      String nextLink) {}
}
