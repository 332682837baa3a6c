package dev.berth.service.persistence;

import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ContainerGroupRows extends JpaRepository<ContainerGroupRow, UUID> {}
