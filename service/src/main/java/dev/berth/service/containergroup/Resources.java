package dev.berth.service.containergroup;

/**
 * An amount of compute in exact integers: thousandths of a vCPU and mebibytes. ACI's decimals (cpu
 * 0.5, memoryInGB 1.5) convert without loss at the API edge; 1 GB here is 1024 MiB, as in ACI's
 * billing.
 */
public record Resources(long milliCpu, long memoryMiB) {

  public static final Resources NONE = new Resources(0, 0);

  public Resources plus(Resources other) {
    return new Resources(milliCpu + other.milliCpu, memoryMiB + other.memoryMiB);
  }

  public Resources minus(Resources other) {
    return new Resources(milliCpu - other.milliCpu, memoryMiB - other.memoryMiB);
  }

  public boolean fitsIn(Resources room) {
    return milliCpu <= room.milliCpu && memoryMiB <= room.memoryMiB;
  }

  public long nanoCpus() {
    return milliCpu * 1_000_000L;
  }

  public long memoryBytes() {
    return memoryMiB * 1024L * 1024L;
  }

  /** vCPU as ACI writes it. */
  public double cpu() {
    return milliCpu / 1000.0;
  }

  /** GB as ACI writes it. */
  public double memoryInGb() {
    return memoryMiB / 1024.0;
  }
}
