package dev.berth.service.containergroup;

import java.util.function.Supplier;

/** Runs work atomically against the stores (the persistence edge supplies the transaction). */
@FunctionalInterface
public interface Transactions {
  <T> T inTransaction(Supplier<T> work);
}
