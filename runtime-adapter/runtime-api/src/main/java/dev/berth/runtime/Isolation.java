package dev.berth.runtime;

import java.util.List;

/**
 * Hardening applied to every container Berth creates. Containers are never privileged and never
 * share the host's network, PID namespace or file system; these knobs tune the rest.
 *
 * @param noNewPrivileges set the no-new-privileges security option
 * @param pidsLimit maximum number of processes in the container
 * @param initProcess run a minimal init as PID 1 so signals reach the workload and zombies are
 *     reaped
 * @param capabilities the Linux capabilities kept; every other one is dropped
 * @param logMaxSize json-file log size before rotation, e.g. "10m"
 * @param logMaxFiles json-file log files kept
 */
public record Isolation(
    boolean noNewPrivileges,
    long pidsLimit,
    boolean initProcess,
    List<String> capabilities,
    String logMaxSize,
    int logMaxFiles) {

  public Isolation {
    capabilities = List.copyOf(capabilities);
  }

  /** Docker's default capability set minus NET_RAW, MKNOD, AUDIT_WRITE and SETFCAP. */
  public static final List<String> REDUCED_CAPABILITIES =
      List.of(
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "SETGID",
          "SETUID",
          "SETPCAP",
          "NET_BIND_SERVICE",
          "SYS_CHROOT");

  /** The defaults an operator gets unless configured otherwise. */
  public static Isolation hardenedDefaults() {
    return new Isolation(true, 512, true, REDUCED_CAPABILITIES, "10m", 3);
  }
}
