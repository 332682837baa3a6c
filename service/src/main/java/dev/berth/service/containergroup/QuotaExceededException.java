package dev.berth.service.containergroup;

/**
 * A create or update would take its subscription past a quota. The message is ACI's: it names the
 * quota, its limit, the current use and what was requested.
 *
 * @param quota ACI's name of the quota ({@code ContainerGroups}, {@code StandardCores})
 * @param target the request field the refused amount comes from
 */
public class QuotaExceededException extends RuntimeException {

  private final String quota;
  private final String target;

  public QuotaExceededException(String quota, String target, String message) {
    super(message);
    this.quota = quota;
    this.target = target;
  }

  public String quota() {
    return quota;
  }

  public String target() {
    return target;
  }
}
