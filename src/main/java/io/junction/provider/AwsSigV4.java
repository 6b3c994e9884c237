package io.junction.provider;

import io.junction.protocol.ErrorKind;
import io.junction.protocol.GatewayException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4, header flavour, for non-S3 services. Pinned to AWS's published
 * signing test suite (see AwsSigV4Test). Paths are taken exactly as sent on the wire and
 * URI-encoded once more, as every non-S3 service expects: a model id sent as {@code a%3A0}
 * is signed as {@code a%253A0}. Paths are not dot-normalized (callers never produce dot segments).
 */
public final class AwsSigV4 {

  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private AwsSigV4() {}

  /** Static credentials. {@code sessionToken} is null for long-term keys. */
  public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {

    /**
     * Parses {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY} or {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY:SESSION_TOKEN},
     * the form api_keys entries take for bedrock. Never echoes the key in the error.
     */
    public static Credentials parse(String key) {
      String[] p = key == null ? new String[0] : key.split(":", 3);
      if (p.length < 2 || p[0].isBlank() || p[1].isBlank()) {
        throw new GatewayException(ErrorKind.AUTHENTICATION, 401, "invalid_api_key", null,
            "AWS credentials must be given as ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]");
      }
      return new Credentials(p[0].trim(), p[1].trim(), p.length == 3 && !p[2].isBlank() ? p[2].trim() : null);
    }

    @Override
    public String toString() { return "Credentials[" + accessKeyId + ", secret hidden]"; }
  }

  public static String amzDate(Instant instant) { return AMZ_DATE.format(instant); }

  /**
   * Signs {@code call} in place: sets {@code x-amz-date}, {@code x-amz-security-token} (session
   * credentials only) and {@code authorization}. Signs {@code host} plus every header already on
   * the call, so headers added afterwards travel unsigned (AWS ignores those).
   */
  public static UpstreamCall sign(UpstreamCall call, Credentials creds, String region, String service, Instant now) {
    URI uri = URI.create(call.url());
    String amzDate = amzDate(now);
    call.headers().remove("authorization");
    call.headers().set("x-amz-date", amzDate);
    if (creds.sessionToken() != null) call.headers().set("x-amz-security-token", creds.sessionToken());
    SortedMap<String, String> signed = new TreeMap<>();
    signed.put("host", hostHeader(uri));
    for (Map.Entry<String, String> h : call.headers()) {
      signed.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + "," + b);
    }
    byte[] payload = call.body() == null ? new byte[0] : call.body().getBytes();
    call.headers().set("authorization", authorization(call.method().name(), uri.getRawPath(), uri.getRawQuery(),
        signed, payload, creds, region, service, amzDate));
    return call;
  }

  /** The Host header an HTTP client sends for {@code uri}: the port only when it is not the scheme's default. */
  public static String hostHeader(URI uri) {
    int port = uri.getPort();
    boolean defaultPort = port == -1 || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443)
        || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80);
    return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
  }

  /**
   * The Authorization header value. {@code headers} maps lower-case names to values (several
   * values of one name joined with commas); all of them are signed.
   */
  public static String authorization(String method, String rawPath, String rawQuery, SortedMap<String, String> headers,
      byte[] payload, Credentials creds, String region, String service, String amzDate) {
    String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
    String canonical = canonicalRequest(method, rawPath, rawQuery, headers, payload);
    String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
    byte[] key = hmac(("AWS4" + creds.secretAccessKey()).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = HEX.formatHex(hmac(key, stringToSign));
    return ALGORITHM + " Credential=" + creds.accessKeyId() + "/" + scope + ", SignedHeaders="
        + String.join(";", headers.keySet()) + ", Signature=" + signature;
  }

  static String canonicalRequest(String method, String rawPath, String rawQuery, SortedMap<String, String> headers, byte[] payload) {
    StringBuilder sb = new StringBuilder();
    sb.append(method).append('\n')
        .append(rawPath == null || rawPath.isEmpty() ? "/" : uriEncode(rawPath, true)).append('\n')
        .append(canonicalQuery(rawQuery)).append('\n');
    headers.forEach((name, value) -> sb.append(name).append(':').append(value.strip().replaceAll("\\s+", " ")).append('\n'));
    sb.append('\n').append(String.join(";", headers.keySet())).append('\n').append(sha256Hex(payload));
    return sb.toString();
  }

  /** Parameters decoded, re-encoded the AWS way and sorted by name, then value. */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) return "";
    List<String[]> pairs = new ArrayList<>();
    for (String param : rawQuery.split("&")) {
      if (param.isEmpty()) continue;
      int eq = param.indexOf('=');
      String name = eq < 0 ? param : param.substring(0, eq);
      String value = eq < 0 ? "" : param.substring(eq + 1);
      pairs.add(new String[] {uriEncode(decode(name), false), uriEncode(decode(value), false)});
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder sb = new StringBuilder();
    for (String[] p : pairs) {
      if (!sb.isEmpty()) sb.append('&');
      sb.append(p[0]).append('=').append(p[1]);
    }
    return sb.toString();
  }

  /** RFC 3986 encoding of everything but unreserved characters (and '/' when {@code keepSlash}). */
  public static String uriEncode(String s, boolean keepSlash) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/')) {
        sb.append(c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  private static String decode(String s) {
    // '+' is a literal plus in AWS query strings, not a space.
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  public static String sha256Hex(byte[] data) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
