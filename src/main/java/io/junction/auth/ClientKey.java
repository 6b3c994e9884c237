package io.junction.auth;

import io.vertx.core.http.HttpServerRequest;

/** Where clients put their key: each protocol's SDKs use their own header (CONTRACT §5). */
public final class ClientKey {
  private ClientKey() {}

  public static String of(HttpServerRequest req) {
    String auth = req.getHeader("authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) return auth.substring(7).trim();
    String key = req.getHeader("x-api-key");
    if (key != null) return key.trim();
    key = req.getHeader("x-goog-api-key");
    if (key != null) return key.trim();
    return req.getParam("key");
  }

  /** Whether the key came the Gemini way (decides the shape of GET /v1/models). */
  public static boolean isGoogleStyle(HttpServerRequest req) {
    return req.getHeader("authorization") == null && req.getHeader("x-api-key") == null
        && (req.getHeader("x-goog-api-key") != null || req.getParam("key") != null);
  }
}
