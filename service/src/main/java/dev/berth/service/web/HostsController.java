package dev.berth.service.web;

import dev.berth.api.server.HostsApi;
import dev.berth.api.server.model.Host;
import dev.berth.api.server.model.HostDrain;
import dev.berth.api.server.model.HostGroup;
import dev.berth.api.server.model.HostListResult;
import dev.berth.api.server.model.HostRegistration;
import dev.berth.api.server.model.HostResources;
import dev.berth.api.server.model.HostTls;
import dev.berth.service.containergroup.InvalidRequestException;
import dev.berth.service.containergroup.Resources;
import dev.berth.service.containergroup.Violation;
import dev.berth.service.host.ChangingHostState;
import dev.berth.service.host.HostDefinition;
import dev.berth.service.host.HostPool;
import dev.berth.service.host.HostRegistry;
import dev.berth.service.host.HostState;
import dev.berth.service.host.RegisteredHost;
import dev.berth.service.host.RegisteringHost;
import dev.berth.service.host.RemovingHost;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/** The fleet, managed at run time with the admin key ({@link ApiKeyFilter} keeps /admin so). */
@RestController
public class HostsController implements HostsApi {

  private final HostRegistry registry;
  private final HostPool pool;
  private final RegisteringHost registering;
  private final ChangingHostState changing;
  private final RemovingHost removing;

  public HostsController(
      HostRegistry registry,
      HostPool pool,
      RegisteringHost registering,
      ChangingHostState changing,
      RemovingHost removing) {
    this.registry = registry;
    this.pool = pool;
    this.registering = registering;
    this.changing = changing;
    this.removing = removing;
  }

  @Override
  public ResponseEntity<HostListResult> listHosts() {
    Map<String, HostRegistry.Occupancy> occupancy = registry.occupancy();
    HostListResult result = new HostListResult();
    for (RegisteredHost host : registry.all()) {
      result.addValueItem(
          view(host, occupancy.getOrDefault(host.id(), HostRegistry.Occupancy.NONE)));
    }
    return ResponseEntity.ok(result);
  }

  @Override
  public ResponseEntity<Host> getHost(String hostId) {
    RegisteredHost host = found(registry.find(hostId), hostId);
    Host view = view(host, registry.occupancy().getOrDefault(hostId, HostRegistry.Occupancy.NONE));
    for (HostRegistry.GroupOnHost g : registry.groupsOn(hostId)) {
      view.addGroupsItem(
          new HostGroup()
              .id(g.key().resourceId())
              .subscriptionId(g.key().subscriptionId())
              .resourceGroup(g.key().resourceGroup())
              .name(g.key().name())
              .state(dev.berth.service.containergroup.GroupState.valueOf(g.state()).aciName())
              .provisioningState(
                  dev.berth.service.containergroup.ProvisioningState.valueOf(g.provisioningState())
                      .aciName())
              .cpu(g.reserved().cpu())
              .memoryInGB(g.reserved().memoryInGb()));
    }
    return ResponseEntity.ok(view);
  }

  @Override
  public ResponseEntity<Host> registerHost(String hostId, HostRegistration request) {
    if (request == null) {
      throw new InvalidRequestException(
          new Violation("InvalidRequestContent", "A host registration is required.", "body"));
    }
    HostDefinition definition =
        new HostDefinition(
            hostId,
            request.getEndpoint(),
            request.getTls() == null ? null : request.getTls().getCertPath(),
            request.getZone(),
            request.getLabels(),
            request.getCpuAllocatable() == null ? 1.0 : request.getCpuAllocatable(),
            request.getMemoryAllocatable() == null ? 0.9 : request.getMemoryAllocatable(),
            request.getPublishAddresses(),
            seconds(request.getConnectTimeoutSeconds(), 3, "connectTimeoutSeconds"),
            seconds(request.getResponseTimeoutSeconds(), 30, "responseTimeoutSeconds"));
    RegisteringHost.Outcome outcome = registering.register(definition);
    Host view =
        view(
            outcome.host(), registry.occupancy().getOrDefault(hostId, HostRegistry.Occupancy.NONE));
    return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK).body(view);
  }

  @Override
  public ResponseEntity<Void> removeHost(String hostId, Boolean force) {
    boolean gone = removing.remove(hostId, Boolean.TRUE.equals(force));
    return gone ? ResponseEntity.noContent().build() : ResponseEntity.accepted().build();
  }

  @Override
  public ResponseEntity<Host> cordonHost(String hostId) {
    return ResponseEntity.ok(current(changing.cordon(hostId), hostId));
  }

  @Override
  public ResponseEntity<Host> uncordonHost(String hostId) {
    return ResponseEntity.ok(current(changing.uncordon(hostId), hostId));
  }

  @Override
  public ResponseEntity<HostDrain> drainHost(String hostId, Integer deadlineSeconds) {
    int deadline = deadlineSeconds == null ? 3600 : deadlineSeconds;
    if (deadline < 0 || deadline > 604800) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidDeadline", "deadlineSeconds is 0 to 604800 (a week).", "deadlineSeconds"));
    }
    RegisteredHost host = found(changing.drain(hostId, Duration.ofSeconds(deadline)), hostId);
    return ResponseEntity.accepted()
        .location(URI.create("/admin/hosts/" + hostId + "/drain"))
        .body(drain(host));
  }

  @Override
  public ResponseEntity<HostDrain> getHostDrain(String hostId) {
    return ResponseEntity.ok(drain(found(registry.find(hostId), hostId)));
  }

  private HostDrain drain(RegisteredHost host) {
    HostDrain drain = new HostDrain().hostId(host.id());
    if (host.adminState() == HostState.DRAINING) {
      drain.state(HostDrain.StateEnum.IN_PROGRESS);
    } else if (host.drain() != null) {
      drain.state(HostDrain.StateEnum.SUCCEEDED);
    } else {
      drain.state(HostDrain.StateEnum.NOT_DRAINING);
    }
    if (host.drain() != null) {
      drain.startTime(time(host.drain().startedAt())).deadline(time(host.drain().deadline()));
    }
    drain.remainingGroups(registry.placedGroups(host.id()));
    return drain;
  }

  private Host current(Optional<RegisteredHost> host, String hostId) {
    RegisteredHost h = found(host, hostId);
    return view(h, registry.occupancy().getOrDefault(hostId, HostRegistry.Occupancy.NONE));
  }

  private static RegisteredHost found(Optional<RegisteredHost> host, String hostId) {
    return host.orElseThrow(
        () -> new NotFoundException("HostNotFound", "There is no host " + hostId + ".", "hostId"));
  }

  private Host view(RegisteredHost host, HostRegistry.Occupancy occupancy) {
    HostDefinition d = host.definition();
    Resources free = host.allocatable().minus(occupancy.reserved());
    Host view =
        new Host()
            .id(host.id())
            .endpoint(d.endpoint())
            .tls(d.tlsCertPath() == null ? null : new HostTls().certPath(d.tlsCertPath()))
            .state(Host.StateEnum.fromValue(host.state().apiName()))
            .zone(d.zone())
            .labels(d.labels().isEmpty() ? null : d.labels())
            .engineVersion(host.engineVersion())
            .cpuAllocatable(d.cpuAllocatable())
            .memoryAllocatable(d.memoryAllocatable())
            .publishAddresses(d.publishAddresses())
            .allocatable(resources(host.allocatable()))
            .reserved(resources(occupancy.reserved()))
            .free(resources(free))
            .groupCount(occupancy.groups())
            .lastAnswerTime(time(host.health().lastAnswerAt()))
            .silentSince(time(host.health().silentSince()))
            .lostTime(time(host.health().lostAt()))
            .lastError(host.health().lastError())
            .owner(host.owner())
            .registeredAt(time(host.registeredAt()));
    // The owner's breaker, as of its last ping; this replica's own only if no owner recorded one.
    String breaker =
        host.health().breakerState() != null
            ? host.health().breakerState()
            : pool.breakerState(host.id()).orElse(null);
    if (breaker != null) {
      view.circuitBreaker(Host.CircuitBreakerEnum.fromValue(breaker));
    }
    return view;
  }

  private static HostResources resources(Resources r) {
    return new HostResources().cpu(r.cpu()).memoryInGB(r.memoryInGb());
  }

  private static Duration seconds(Double value, double fallback, String target) {
    double s = value == null ? fallback : value;
    if (!(s > 0) || s > 3600) {
      throw new InvalidRequestException(
          new Violation(
              "InvalidTimeout", "Timeouts are more than 0 and at most 3600 seconds.", target));
    }
    return Duration.ofMillis(Math.round(s * 1000));
  }

  private static OffsetDateTime time(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }
}
