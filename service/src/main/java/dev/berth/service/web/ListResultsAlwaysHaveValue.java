package dev.berth.service.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.api.server.model.ApiKeyListResult;
import dev.berth.api.server.model.CapabilitiesListResult;
import dev.berth.api.server.model.ContainerGroupListResult;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Responses leave out empty fields (as ACI's do), but ARM clients read a list's {@code value}
 * unconditionally: an empty list must still say {@code "value": []}.
 */
public final class ListResultsAlwaysHaveValue {

  private ListResultsAlwaysHaveValue() {}

  abstract static class ValueAlways {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract List<?> getValue();
  }

  public static void register(JsonMapper.Builder builder) {
    builder.addMixIn(ContainerGroupListResult.class, ValueAlways.class);
    builder.addMixIn(CapabilitiesListResult.class, ValueAlways.class);
    builder.addMixIn(ApiKeyListResult.class, ValueAlways.class);
  }
}
