package dev.berth.service.containergroup;

/**
 * One environment variable. A secure one holds a secureValue: never returned, never logged, stored
 * encrypted.
 */
public record EnvironmentVariable(String name, String value, boolean secure) {

  @Override
  public String toString() {
    return name + "=" + (secure ? "<secure>" : value);
  }
}
