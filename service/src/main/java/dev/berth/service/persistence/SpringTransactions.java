package dev.berth.service.persistence;

import dev.berth.service.containergroup.Transactions;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link Transactions} on Spring's transaction manager (JPA and JDBC share the transaction). */
public class SpringTransactions implements Transactions {

  private final TransactionTemplate template;

  public SpringTransactions(TransactionTemplate template) {
    this.template = template;
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    return template.execute(status -> work.get());
  }
}
