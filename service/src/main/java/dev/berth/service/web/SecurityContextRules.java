package dev.berth.service.web;

import dev.berth.api.server.model.SecurityContextDefinition;
import dev.berth.service.containergroup.Violation;
import java.util.List;

/** What a container may ask of its security context: nothing that weakens isolation. */
final class SecurityContextRules {

  private SecurityContextRules() {}

  static void securityContext(SecurityContextDefinition s, String at, List<Violation> violations) {
    if (s == null) {
      return;
    }
    if (Boolean.TRUE.equals(s.getPrivileged())) {
      violations.add(
          new Violation(
              "PrivilegedContainerNotAllowed",
              "Privileged containers are not allowed: they would have full access to the host.",
              at + ".privileged"));
    }
    if (Boolean.TRUE.equals(s.getAllowPrivilegeEscalation())) {
      violations.add(
          new Violation(
              "PrivilegeEscalationNotAllowed",
              "allowPrivilegeEscalation is not allowed: Berth runs every container with no-new-privileges.",
              at + ".allowPrivilegeEscalation"));
    }
    if (s.getCapabilities() != null && !Nulls.list(s.getCapabilities().getAdd()).isEmpty()) {
      violations.add(
          new Violation(
              "CapabilityNotAllowed",
              "Adding Linux capabilities is not allowed: " + s.getCapabilities().getAdd() + ".",
              at + ".capabilities.add"));
    }
    GroupRequestMapper.unsupported(
        s.getCapabilities() != null && !Nulls.list(s.getCapabilities().getDrop()).isEmpty(),
        at + ".capabilities.drop",
        "capabilities.drop",
        violations);
    GroupRequestMapper.unsupported(
        s.getRunAsUser() != null, at + ".runAsUser", "runAsUser", violations);
    GroupRequestMapper.unsupported(
        s.getRunAsGroup() != null, at + ".runAsGroup", "runAsGroup", violations);
    GroupRequestMapper.unsupported(
        s.getSeccompProfile() != null, at + ".seccompProfile", "seccompProfile", violations);
  }
}
