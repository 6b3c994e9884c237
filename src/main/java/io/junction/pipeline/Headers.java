package io.junction.pipeline;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** The headers every answer carries (CONTRACT §3). */
public final class Headers {
  public static final String REQUEST_ID = "x-request-id";
  public static final String PROVIDER = "x-junction-provider";
  public static final String ATTEMPTS = "x-junction-attempts";
  /** Names the end user for sticky routing (overrides the body's user field). */
  public static final String USER = "x-junction-user";

  // Pre-encoded names and values for the per-response headers: Vert.x then skips validating and
  // re-encoding them on every answer (a few percent of the fast path's CPU in bench/).
  private static final CharSequence REQUEST_ID_NAME = HttpHeaders.createOptimized(REQUEST_ID);
  private static final CharSequence PROVIDER_NAME = HttpHeaders.createOptimized(PROVIDER);
  private static final CharSequence ATTEMPTS_NAME = HttpHeaders.createOptimized(ATTEMPTS);
  public static final CharSequence CONTENT_TYPE = HttpHeaders.CONTENT_TYPE;
  public static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  public static final CharSequence CACHE_CONTROL = HttpHeaders.CACHE_CONTROL;
  public static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

  private Headers() {}

  public static void common(HttpServerResponse r, String requestId, String provider, int attempts) {
    r.putHeader(REQUEST_ID_NAME, requestId);
    if (provider != null) r.putHeader(PROVIDER_NAME, provider);
    r.putHeader(ATTEMPTS_NAME, Integer.toString(attempts));
  }
}
