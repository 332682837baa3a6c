package dev.berth.service.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Berth-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>} over {@code
 * <t>.<body>} with the webhook's secret, as Stripe signs its webhooks. The timestamp is signed with
 * the body, so a receiver that refuses one too far from its clock refuses replays.
 */
public final class WebhookSignature {

  public static final String HEADER = "Berth-Signature";

  private WebhookSignature() {}

  public static String header(String secret, long unixSeconds, String body) {
    return "t=" + unixSeconds + ",v1=" + hmac(secret, unixSeconds + "." + body);
  }

  /** Whether {@code header} is this body's signature with this secret (in constant time). */
  public static boolean verifies(String secret, String header, String body) {
    String t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      if (part.startsWith("t=")) {
        t = part.substring(2);
      } else if (part.startsWith("v1=")) {
        v1 = part.substring(3);
      }
    }
    if (t == null || v1 == null) {
      return false;
    }
    return MessageDigest.isEqual(
        hmac(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII),
        v1.getBytes(StandardCharsets.US_ASCII));
  }

  private static String hmac(String secret, String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException impossible) {
      throw new IllegalStateException("HmacSHA256 is in every JDK", impossible);
    }
  }
}
