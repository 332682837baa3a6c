package dev.berth.billing.rating;

import java.util.List;

/** Where prices are kept. */
public interface PriceBookStore {

  List<Price> prices();

  /**
   * Ends the currency's open price at {@code price.validFrom()} and adds {@code price}, in one
   * transaction (an exclusion constraint refuses overlapping periods of one currency).
   */
  void add(Price price);
}
