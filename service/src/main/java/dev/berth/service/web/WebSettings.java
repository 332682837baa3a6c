package dev.berth.service.web;

/**
 * Settings the API edge needs.
 *
 * @param location the location reported for groups created without one
 */
public record WebSettings(String location) {}
