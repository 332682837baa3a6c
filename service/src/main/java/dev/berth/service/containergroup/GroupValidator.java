package dev.berth.service.containergroup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ACI's rules for a group's names, images, sizes and environment. Returns every broken rule, each
 * naming its field, so a client can fix a request in one go.
 */
public final class GroupValidator {

  /** ACI: 1-63 lowercase letters, digits and '-', not starting or ending with '-'. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** ARM: 1-90 letters, digits, '_', '-', '.', '(' and ')', not ending with '.'. */
  private static final Pattern RESOURCE_GROUP =
      Pattern.compile("[\\p{L}\\p{N}_().-]{0,89}[\\p{L}\\p{N}_()-]");

  private static final Pattern SUBSCRIPTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");

  /** ACI: letters, digits and '_', not starting with a digit (POSIX). */
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * A zone: 1-64 letters, digits, '.', '_' and '-' (ACI's are "1", "2", "3"; a fleet's may be names
   * such as "rack-a").
   */
  private static final Pattern ZONE = Pattern.compile("[\\p{L}\\p{N}._-]{1,64}");

  /** Docker's reference grammar: [domain[:port]/]path[:tag][@digest]. */
  private static final Pattern IMAGE;

  static {
    String component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    String domainPart = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    String domain = domainPart + "(?:\\." + domainPart + ")*(?::[0-9]+)?";
    String name = "(?:" + domain + "/)?" + component + "(?:/" + component + ")*";
    String tag = "[\\w][\\w.-]{0,127}";
    String digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    IMAGE = Pattern.compile(name + "(?::" + tag + ")?(?:@" + digest + ")?");
  }

  private final GroupLimits limits;
  private final VolumeRules volumeRules;

  public GroupValidator(GroupLimits limits) {
    this(limits, StorageAccounts.NONE);
  }

  /** {@code accounts}: the storage accounts whose shares azureFile volumes may name. */
  public GroupValidator(GroupLimits limits, StorageAccounts accounts) {
    this.limits = limits;
    this.volumeRules = new VolumeRules(accounts);
  }

  public List<Violation> validateKey(GroupKey key) {
    List<Violation> violations = new ArrayList<>();
    if (!SUBSCRIPTION.matcher(key.subscriptionId()).matches()) {
      violations.add(
          new Violation(
              "InvalidSubscriptionId",
              "The subscription id '"
                  + key.subscriptionId()
                  + "' must be 1-64 letters, digits and '-'.",
              "subscriptionId"));
    }
    if (!RESOURCE_GROUP.matcher(key.resourceGroup()).matches()) {
      violations.add(
          new Violation(
              "InvalidResourceGroupName",
              "The resource group name '"
                  + key.resourceGroup()
                  + "' must be 1-90 letters, digits, '_', '-', '.', '(' or ')' and may not end with '.'.",
              "resourceGroupName"));
    }
    if (!NAME.matcher(key.name()).matches()) {
      violations.add(
          new Violation(
              "InvalidContainerGroupName",
              "The container group name '"
                  + key.name()
                  + "' is invalid: it must be 1-63 lowercase letters, digits or '-', and may not start or end with '-'.",
              "containerGroupName"));
    }
    return violations;
  }

  public List<Violation> validateSpec(GroupSpec spec) {
    List<Violation> violations = new ArrayList<>(volumeRules.check(spec.volumes()));
    List<ContainerDefinition> containers = spec.containers();
    if (containers.isEmpty()) {
      violations.add(
          new Violation(
              "ContainerGroupMustHaveContainers",
              "A container group needs at least one container.",
              "properties.containers"));
    }
    if (containers.size() > limits.maxContainers()) {
      violations.add(
          new Violation(
              "TooManyContainers",
              "A container group may have at most "
                  + limits.maxContainers()
                  + " containers; "
                  + containers.size()
                  + " were given.",
              "properties.containers"));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      validateContainer(containers.get(i), "properties.containers[" + i + "]", names, violations);
    }
    for (int i = 0; i < spec.initContainers().size(); i++) {
      validateContainer(
          spec.initContainers().get(i), "properties.initContainers[" + i + "]", names, violations);
    }
    if (spec.zone() != null && !ZONE.matcher(spec.zone()).matches()) {
      violations.add(
          new Violation(
              "InvalidZone",
              "The zone '"
                  + spec.zone()
                  + "' is invalid: it must be 1-64 letters, digits, '.', '_' or '-'.",
              "zones"));
    }
    Resources total = spec.requests();
    Resources max = limits.maxGroupResources();
    if (!total.fitsIn(max)) {
      violations.add(
          new Violation(
              "ResourceRequestsExceedMaximum",
              "The containers request "
                  + total.cpu()
                  + " vCPU and "
                  + total.memoryInGb()
                  + " GB together; one group may request at most "
                  + max.cpu()
                  + " vCPU and "
                  + max.memoryInGb()
                  + " GB.",
              "properties.containers"));
    }
    return violations;
  }

  private void validateContainer(
      ContainerDefinition c, String at, Set<String> names, List<Violation> violations) {
    if (!NAME.matcher(c.name()).matches()) {
      violations.add(
          new Violation(
              "InvalidContainerName",
              "The container name '"
                  + c.name()
                  + "' is invalid: it must be 1-63 lowercase letters, digits or '-', and may not start or end with '-'.",
              at + ".name"));
    } else if (!names.add(c.name())) {
      violations.add(
          new Violation(
              "DuplicateContainerName",
              "The container name '" + c.name() + "' is used more than once in the group.",
              at + ".name"));
    }
    if (c.image().length() > 255 || !IMAGE.matcher(c.image()).matches()) {
      violations.add(
          new Violation(
              "InvalidImageName",
              "The image '"
                  + c.image()
                  + "' is not a valid image reference ([registry[:port]/]name[:tag][@digest], lowercase name).",
              at + ".properties.image"));
    }
    validateResources(c, at + ".properties.resources", violations);
    if (c.environment().size() > limits.maxEnvironmentVariables()) {
      violations.add(
          new Violation(
              "TooManyEnvironmentVariables",
              "A container may have at most "
                  + limits.maxEnvironmentVariables()
                  + " environment variables.",
              at + ".properties.environmentVariables"));
    }
    Set<String> envNames = new HashSet<>();
    for (int j = 0; j < c.environment().size(); j++) {
      String name = c.environment().get(j).name();
      String target = at + ".properties.environmentVariables[" + j + "].name";
      if (!ENV_NAME.matcher(name).matches()) {
        violations.add(
            new Violation(
                "InvalidEnvironmentVariableName",
                "The environment variable name '"
                    + name
                    + "' is invalid: use letters, digits and '_', not starting with a digit.",
                target));
      } else if (!envNames.add(name)) {
        violations.add(
            new Violation(
                "DuplicateEnvironmentVariableName",
                "The environment variable '" + name + "' is set more than once.",
                target));
      }
    }
  }

  private void validateResources(ContainerDefinition c, String at, List<Violation> violations) {
    Resources requests = c.requests();
    Resources min = limits.minContainerResources();
    Resources max = limits.maxGroupResources();
    if (requests.milliCpu() < min.milliCpu()) {
      violations.add(
          new Violation(
              "InvalidResourceRequests",
              "requests.cpu must be at least " + min.cpu() + " vCPU.",
              at + ".requests.cpu"));
    }
    if (requests.memoryMiB() < min.memoryMiB()) {
      violations.add(
          new Violation(
              "InvalidResourceRequests",
              "requests.memoryInGB must be at least "
                  + min.memoryInGb()
                  + " GB ("
                  + min.memoryMiB()
                  + " MiB).",
              at + ".requests.memoryInGB"));
    }
    if (requests.milliCpu() > max.milliCpu()) {
      violations.add(
          new Violation(
              "ResourceRequestsExceedMaximum",
              "requests.cpu "
                  + requests.cpu()
                  + " exceeds the maximum of "
                  + max.cpu()
                  + " vCPU per group.",
              at + ".requests.cpu"));
    }
    if (requests.memoryMiB() > max.memoryMiB()) {
      violations.add(
          new Violation(
              "ResourceRequestsExceedMaximum",
              "requests.memoryInGB "
                  + requests.memoryInGb()
                  + " exceeds the maximum of "
                  + max.memoryInGb()
                  + " GB per group.",
              at + ".requests.memoryInGB"));
    }
    Resources limit = c.limits();
    if (limit.milliCpu() < requests.milliCpu()) {
      violations.add(
          new Violation(
              "InvalidResourceLimits",
              "limits.cpu " + limit.cpu() + " is below requests.cpu " + requests.cpu() + ".",
              at + ".limits.cpu"));
    }
    if (limit.memoryMiB() < requests.memoryMiB()) {
      violations.add(
          new Violation(
              "InvalidResourceLimits",
              "limits.memoryInGB "
                  + limit.memoryInGb()
                  + " is below requests.memoryInGB "
                  + requests.memoryInGb()
                  + ".",
              at + ".limits.memoryInGB"));
    }
    if (!limit.fitsIn(max)) {
      violations.add(
          new Violation(
              "ResourceLimitsExceedMaximum",
              "limits may not exceed the group maximum of "
                  + max.cpu()
                  + " vCPU and "
                  + max.memoryInGb()
                  + " GB.",
              at + ".limits"));
    }
  }
}
