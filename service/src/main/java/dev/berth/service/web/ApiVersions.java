package dev.berth.service.web;

import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Violation;
import java.util.regex.Pattern;

/** ACI api-versions Berth answers: 2023-05-01 and later, stable or preview. */
final class ApiVersions {

  private static final Pattern FORMAT = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})(-preview)?");
  private static final String OLDEST = "2023-05-01";

  private ApiVersions() {}

  static void check(String apiVersion) {
    var m = FORMAT.matcher(apiVersion == null ? "" : apiVersion);
    if (!m.matches() || m.group(1).compareTo(OLDEST) < 0) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidApiVersionParameter",
              "The api-version '"
                  + apiVersion
                  + "' is invalid. Supported versions are "
                  + OLDEST
                  + " and later (YYYY-MM-DD, optionally -preview).",
              "api-version"));
    }
  }
}
