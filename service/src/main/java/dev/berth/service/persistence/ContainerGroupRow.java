package dev.berth.service.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * A group's desired state as stored. Mapped to and from the domain by {@link
 * JpaContainerGroupStore}.
 */
@Entity
@Table(name = "container_groups")
class ContainerGroupRow {
  @Id UUID id;

  @Column(name = "subscription_id")
  String subscriptionId;

  @Column(name = "resource_group")
  String resourceGroup;

  String name;
  String location;
  String tags;
  String spec;
  long generation;

  @Column(name = "desired_state")
  String desiredState;

  @Column(name = "resource_document")
  String resourceDocument;

  @Column(name = "created_at")
  Instant createdAt;

  @Column(name = "updated_at")
  Instant updatedAt;

  @Column(name = "restart_epoch")
  long restartEpoch;

  @Version Long version;
}
