package io.junction.admin;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sign-in sessions: the master key is exchanged once for a random session id, kept in
 * this instance's memory only and sent back as an HttpOnly, SameSite=Strict cookie, so the
 * browser never holds the master key (nothing in localStorage). A session ends at sign-out,
 * after {@link #LIFETIME}, or when the gateway restarts.
 *
 * <p>CSRF: besides SameSite=Strict, a mutation authenticated by the cookie must carry
 * {@link #CSRF_HEADER} (which a cross-site form cannot send, and a cross-site script cannot send
 * without a CORS preflight the gateway never grants) and, when the browser sends an Origin, one
 * equal to the gateway's own.
 */
public final class ConsoleSessions {
  public static final String COOKIE = "junction_session";
  public static final String CSRF_HEADER = "x-junction-console";
  static final Duration LIFETIME = Duration.ofHours(12);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  /** Session id to its expiry (epoch ms). */
  private final Map<String, Long> sessions = new ConcurrentHashMap<>();

  public ConsoleSessions(Clock clock) { this.clock = clock; }

  /** A new session; returns the cookie to set. {@code secure}: the request came over HTTPS. */
  public Cookie open(boolean secure) {
    long now = clock.millis();
    sessions.values().removeIf(expiry -> expiry <= now);
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    sessions.put(id, now + LIFETIME.toMillis());
    return cookie(id, LIFETIME.toSeconds(), secure);
  }

  /** Whether the request's cookie names a live session. */
  public boolean valid(HttpServerRequest req) {
    String id = sessionId(req);
    if (id == null) return false;
    Long expiry = sessions.get(id);
    if (expiry == null) return false;
    if (expiry <= clock.millis()) {
      sessions.remove(id);
      return false;
    }
    return true;
  }

  /** Ends the request's session (if any); returns the cookie that clears it in the browser. */
  public Cookie close(HttpServerRequest req, boolean secure) {
    String id = sessionId(req);
    if (id != null) sessions.remove(id);
    return cookie("", 0, secure);
  }

  /**
   * Null when a cookie-authenticated request may go ahead, else why not: safe methods always may;
   * others need {@link #CSRF_HEADER} and a same-origin (or absent) Origin.
   */
  static String csrfProblem(HttpServerRequest req) {
    HttpMethod m = req.method();
    if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS) return null;
    if (req.getHeader(CSRF_HEADER) == null) return "missing the " + CSRF_HEADER + " header the console sends";
    // Host and port, not scheme: behind a TLS-terminating proxy the browser's origin is https, ours
    // http; a port absent on either side (a default port) is not compared.
    String origin = req.getHeader("origin");
    if (origin == null) return null;
    io.vertx.core.net.HostAndPort self = req.authority();
    try {
      java.net.URI o = java.net.URI.create(origin);
      boolean sameHost = self != null && o.getHost() != null && o.getHost().equalsIgnoreCase(self.host());
      boolean samePort = o.getPort() < 0 || self == null || self.port() < 0 || o.getPort() == self.port();
      if (sameHost && samePort) return null;
    } catch (IllegalArgumentException e) {
      // an unreadable Origin is a foreign one
    }
    return "cross-origin request from " + origin;
  }

  private static String sessionId(HttpServerRequest req) {
    Cookie c = req.getCookie(COOKIE);
    return c == null || c.getValue().isEmpty() ? null : c.getValue();
  }

  private static Cookie cookie(String value, long maxAgeSeconds, boolean secure) {
    return Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setSecure(secure).setMaxAge(maxAgeSeconds);
  }
}
