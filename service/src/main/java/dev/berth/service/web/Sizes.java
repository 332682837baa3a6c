package dev.berth.service.web;

import dev.berth.service.containergroup.Violation;
import java.util.List;

/**
 * ACI's decimal sizes as exact integers, rounded up: thousandths of a vCPU and MiB (1 GB = 1024
 * MiB).
 */
final class Sizes {

  private Sizes() {}

  static Long milliCpu(Double cpu, String target, List<Violation> violations) {
    if (cpu == null) {
      violations.add(new Violation("InvalidResourceRequests", "cpu is required.", target));
      return null;
    }
    if (!Double.isFinite(cpu) || cpu <= 0) {
      violations.add(
          new Violation(
              "InvalidResourceRequests",
              "cpu must be a positive number of vCPUs, got " + cpu + ".",
              target));
      return null;
    }
    if (cpu > 1_000_000) {
      violations.add(
          new Violation(
              "ResourceRequestsExceedMaximum", "cpu " + cpu + " is beyond any host.", target));
      return null;
    }
    return (long) Math.ceil(cpu * 1000 - 1e-9);
  }

  static Long memoryMiB(Double gb, String target, List<Violation> violations) {
    if (gb == null) {
      violations.add(new Violation("InvalidResourceRequests", "memoryInGB is required.", target));
      return null;
    }
    if (!Double.isFinite(gb) || gb <= 0) {
      violations.add(
          new Violation(
              "InvalidResourceRequests",
              "memoryInGB must be a positive number, got " + gb + ".",
              target));
      return null;
    }
    if (gb > 1_000_000) {
      violations.add(
          new Violation(
              "ResourceRequestsExceedMaximum",
              "memoryInGB " + gb + " is beyond any host.",
              target));
      return null;
    }
    return (long) Math.ceil(gb * 1024 - 1e-9);
  }
}
