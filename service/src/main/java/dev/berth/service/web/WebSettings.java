package dev.berth.service.web;

/**
 * Settings the API edge needs.
 *
 * @param location the location reported for groups created without one
 * @param dnsZone groups' fqdn is {@code <dnsNameLabel>.<location>.<dnsZone>}
 * @param viewCacheBytes how much of groups' rendered JSON is kept for GET and list answers
 */
public record WebSettings(String location, String dnsZone, long viewCacheBytes) {}
