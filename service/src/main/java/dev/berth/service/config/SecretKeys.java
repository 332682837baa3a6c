package dev.berth.service.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The key that encrypts secrets at rest: configured, or generated once into the data directory. */
final class SecretKeys {

  private SecretKeys() {}

  static byte[] load(BerthProperties properties) {
    if (properties.secretKey() != null && !properties.secretKey().isBlank()) {
      return Base64.getDecoder().decode(properties.secretKey().trim());
    }
    Path file = properties.dataDir().resolve("secret.key");
    try {
      if (Files.exists(file)) {
        return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
      }
      Files.createDirectories(properties.dataDir());
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret key " + file, e);
    }
  }
}
