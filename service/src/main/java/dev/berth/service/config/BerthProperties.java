package dev.berth.service.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Berth's settings (prefix {@code berth}).
 *
 * @param adminKey the bootstrap admin key; generated and printed once at start when empty
 * @param dataDir where embedded PostgreSQL keeps its data and the generated secret key is kept
 * @param secretKey base64 AES-256 key that encrypts secureValues at rest; generated into dataDir
 *     when empty
 * @param location the location reported for groups created without one
 * @param dnsZone a group's fqdn is {@code <dnsNameLabel>.<location>.<dnsZone>}
 * @param viewCache how much of groups' rendered JSON each replica keeps to answer GET and list (by
 *     the revision it was rendered from, least recently used out first)
 * @param socketWriteBuffer how much of an answer the HTTP server hands the kernel in one write, per
 *     open connection: a list page of 100 groups (about 200 KB) written in 8 KB pieces waited about
 *     40 ms for a delayed acknowledgement in 3% of answers under load; in one write it does not
 * @param eventRetention how long groups' followed events (GET .../events) are kept
 * @param sandboxImage image of the container holding a multi-container group's network namespace
 *     (it runs {@code sleep}); must be on every host
 * @param hosts the fleet: the Docker engines groups run on (registered at run time through the
 *     hosts API; {@code register} seeds it at start), how their health is watched, and leases
 * @param scheduling how hosts are chosen for a group
 * @param limits what one group may ask for
 * @param reconcile how often and how widely the reconciler works
 * @param isolation hardening of every container
 * @param logs how much output is kept and returned
 * @param billing metering, prices and invoices
 */
@ConfigurationProperties("berth")
public record BerthProperties(
    String adminKey,
    Path dataDir,
    String secretKey,
    @DefaultValue("local") String location,
    @DefaultValue("berth.local") String dnsZone,
    @DefaultValue("64MB") DataSize viewCache,
    @DefaultValue("256KB") DataSize socketWriteBuffer,
    @DefaultValue("7d") Duration eventRetention,
    @DefaultValue("berth/busybox:1") String sandboxImage,
    @DefaultValue Hosts hosts,
    @DefaultValue Scheduling scheduling,
    @DefaultValue Limits limits,
    @DefaultValue Reconcile reconcile,
    @DefaultValue Isolation isolation,
    @DefaultValue Logs logs,
    @DefaultValue Billing billing) {

  /**
   * Billing.
   *
   * @param currency the price book currency bills are in (ISO 4217)
   * @param meterInterval how often open runs are metered (the cursor moves, segments are written)
   * @param segmentBoundary where segments are cut while a run runs: whole seconds dividing an hour.
   *     An hour keeps the ledger small (one segment per run per hour); what has accrued since is
   *     computed when asked
   * @param billImagePull bill from the start of the first image pull, as ACI does, instead of from
   *     the first container start
   * @param invoiceGrace how long after a month ends its invoices become final
   * @param checkInterval how often finished runs are reconciled against the engine's times
   */
  public record Billing(
      @DefaultValue("USD") String currency,
      @DefaultValue("10s") Duration meterInterval,
      @DefaultValue("1h") Duration segmentBoundary,
      @DefaultValue("false") boolean billImagePull,
      @DefaultValue("1d") Duration invoiceGrace,
      @DefaultValue("30s") Duration checkInterval) {}

  /**
   * The fleet.
   *
   * @param register hosts registered (or updated) at every start, as {@code PUT /admin/hosts/{id}}
   *     does; hosts registered through the API stay registered whatever the file says
   * @param pingInterval how often the owning replica pings each host (on the host's own bulkhead)
   * @param lostAfter a host that has not answered for this long is Lost: its groups are placed
   *     again elsewhere per their restart policy
   * @param rescheduleNever place Never groups of a lost host again too, instead of failing them
   *     with HostLost
   * @param leaseDuration a replica's lease on a host lapses this long after its last renewal;
   *     another replica then takes the host (Kubernetes' Lease: 15 s)
   * @param leaseRenewInterval how often a replica renews its leases (Kubernetes: 2 s)
   * @param drainMinHealthyTime a drain stops a group's old copy once every container of the new one
   *     has run this long (Nomad's migrate min_healthy_time)
   */
  public record Hosts(
      List<Host> register,
      @DefaultValue("2s") Duration pingInterval,
      @DefaultValue("30s") Duration lostAfter,
      @DefaultValue("false") boolean rescheduleNever,
      @DefaultValue("15s") Duration leaseDuration,
      @DefaultValue("2s") Duration leaseRenewInterval,
      @DefaultValue("10s") Duration drainMinHealthyTime) {

    public Hosts {
      register = register == null ? List.of() : List.copyOf(register);
    }
  }

  /**
   * @param ranking {@code binpack} fills the fullest host that fits first (large groups still find
   *     an empty host later); {@code spread} places on the emptiest host first
   */
  public record Scheduling(@DefaultValue("binpack") String ranking) {}

  /**
   * One Docker engine.
   *
   * @param id stable name; placements refer to it
   * @param endpoint unix:///path/docker.sock or tcp://host:port
   * @param tlsCertPath directory with ca.pem, cert.pem, key.pem for TCP+TLS
   * @param cpuAllocatable fraction of the engine's CPUs groups may reserve
   * @param memoryAllocatable fraction of the engine's memory groups may reserve
   * @param connectTimeout connection timeout of every call to the engine
   * @param responseTimeout answer timeout of every call to the engine
   * @param publishAddresses host addresses groups' ports are published on; a group gets one on
   *     which all its ports are free, so more addresses (e.g. 127.1.0.1, 127.1.0.2, ... on the
   *     local engine) let more groups publish the same port
   * @param zone the host's zone (ACI's {@code zones} on a group places it in one), or none
   * @param labels free-form labels shown by the hosts API
   */
  public record Host(
      String id,
      String endpoint,
      String tlsCertPath,
      String zone,
      java.util.Map<String, String> labels,
      @DefaultValue("1.0") double cpuAllocatable,
      @DefaultValue("0.9") double memoryAllocatable,
      @DefaultValue("3s") Duration connectTimeout,
      @DefaultValue("30s") Duration responseTimeout,
      @DefaultValue("127.0.0.1") List<String> publishAddresses) {}

  /**
   * @param maxCpuPerGroup vCPU all containers of one group may request together
   * @param maxMemoryInGbPerGroup GB all containers of one group may request together
   * @param maxContainersPerGroup containers in one group
   */
  public record Limits(
      @DefaultValue("4") double maxCpuPerGroup,
      @DefaultValue("16") double maxMemoryInGbPerGroup,
      @DefaultValue("60") int maxContainersPerGroup) {}

  /**
   * @param sweepInterval how often each owned host's listing is compared with its groups' statuses
   *     (the safety net under its event stream)
   * @param workers groups reconciled at once
   * @param backoffInitial wait before the first restart of a container that exited
   * @param backoffMax the longest wait between restarts (the wait doubles up to it)
   * @param backoffResetAfter a run this long starts the doubling afresh
   * @param stopGrace time between SIGTERM and SIGKILL when stopping a container
   * @param orphanGrace how long a container whose group does not exist is left before removal
   * @param orphanSweepInterval how often each host is checked for orphaned containers
   * @param eventWindow how long one request follows a host's event stream before the next one
   *     continues where it ended
   */
  public record Reconcile(
      @DefaultValue("5s") Duration sweepInterval,
      @DefaultValue("8") int workers,
      @DefaultValue("10s") Duration backoffInitial,
      @DefaultValue("5m") Duration backoffMax,
      @DefaultValue("10m") Duration backoffResetAfter,
      @DefaultValue("10s") Duration stopGrace,
      @DefaultValue("60s") Duration orphanGrace,
      @DefaultValue("30s") Duration orphanSweepInterval,
      @DefaultValue("10s") Duration eventWindow) {}

  /**
   * @param maxBytesPerRun output kept per finished run of a container (the newest lines win)
   * @param maxExecOutputBytes stdout and stderr each returned by a non-interactive exec
   */
  public record Logs(
      @DefaultValue("1048576") int maxBytesPerRun,
      @DefaultValue("1048576") int maxExecOutputBytes) {}

  /**
   * @param noNewPrivileges set no-new-privileges, so setuid binaries cannot raise privileges
   * @param init run a minimal init as PID 1 (signals reach the workload, zombies are reaped)
   * @param pidsLimit processes per container
   * @param capabilities Linux capabilities kept (all others dropped); Docker's default set less
   *     NET_RAW, MKNOD, AUDIT_WRITE and SETFCAP when not set
   * @param logMaxSize json-file log size before rotation
   * @param logMaxFiles json-file log files kept
   */
  public record Isolation(
      @DefaultValue("true") boolean noNewPrivileges,
      @DefaultValue("true") boolean init,
      @DefaultValue("512") long pidsLimit,
      List<String> capabilities,
      @DefaultValue("10m") String logMaxSize,
      @DefaultValue("3") int logMaxFiles) {}
}
