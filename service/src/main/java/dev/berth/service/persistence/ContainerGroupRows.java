package dev.berth.service.persistence;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface ContainerGroupRows extends JpaRepository<ContainerGroupRow, UUID> {

  Optional<ContainerGroupRow> findBySubscriptionIdAndResourceGroupAndName(
      String subscriptionId, String resourceGroup, String name);

  @Query(
      """
      select g from ContainerGroupRow g
      where g.subscriptionId = :subscription
        and (g.resourceGroup > :afterGroup or (g.resourceGroup = :afterGroup and g.name > :afterName))
      order by g.resourceGroup, g.name""")
  List<ContainerGroupRow> pageOfSubscription(
      String subscription, String afterGroup, String afterName, Limit limit);

  @Query(
      """
      select g from ContainerGroupRow g
      where g.subscriptionId = :subscription and g.resourceGroup = :resourceGroup and g.name > :afterName
      order by g.name""")
  List<ContainerGroupRow> pageOfResourceGroup(
      String subscription, String resourceGroup, String afterName, Limit limit);
}
