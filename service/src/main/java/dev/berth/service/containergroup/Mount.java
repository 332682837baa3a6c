package dev.berth.service.containergroup;

/** A group volume mounted into one container (ACI's volumeMounts). */
public record Mount(String volumeName, String mountPath, boolean readOnly) {}
