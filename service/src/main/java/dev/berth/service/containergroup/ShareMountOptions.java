package dev.berth.service.containergroup;

/**
 * Beyond ACI (whose shares changed from 0777 to 0700 with no way back): the owner and permission
 * bits of a share's directory, applied before each launch. Each part is optional.
 *
 * @param uid owning user id, or null to leave it
 * @param gid owning group id, or null to leave it
 * @param mode permission bits (0 to 07777), or null to leave them
 */
public record ShareMountOptions(Integer uid, Integer gid, Integer mode) {}
