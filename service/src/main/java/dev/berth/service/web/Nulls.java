package dev.berth.service.web;

import java.util.List;
import java.util.Map;

/** JSON may send null for any collection (explicitly, or by leaving it out); read it as empty. */
final class Nulls {

  private Nulls() {}

  static <T> List<T> list(List<T> value) {
    return value == null ? List.of() : value;
  }

  static <K, V> Map<K, V> map(Map<K, V> value) {
    return value == null ? Map.of() : value;
  }
}
