package dev.berth.service.containergroup;

/**
 * One broken rule in a request.
 *
 * @param code ARM/ACI-style error code, e.g. InvalidContainerName
 * @param message what the rule is and what was sent
 * @param target the field, as a JSON path into the request, e.g. properties.containers[0].name
 */
public record Violation(String code, String message, String target) {}
