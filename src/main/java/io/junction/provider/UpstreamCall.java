package io.junction.provider;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.function.Function;

/**
 * One fully prepared upstream HTTP request: absolute URL, headers (auth included) and body.
 * {@code lateAuth}, when set, finishes the call with what needs I/O first (an OAuth access token
 * from a cache that may have to refresh, the project it belongs to); the sender awaits it.
 */
public record UpstreamCall(HttpMethod method, String url, MultiMap headers, Buffer body,
    Function<UpstreamCall, Future<UpstreamCall>> lateAuth) {

  public UpstreamCall(HttpMethod method, String url, MultiMap headers, Buffer body) {
    this(method, url, headers, body, null);
  }

  public static UpstreamCall post(String url, Buffer body) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.set("content-type", "application/json");
    return new UpstreamCall(HttpMethod.POST, url, h, body);
  }

  public static UpstreamCall get(String url) {
    return new UpstreamCall(HttpMethod.GET, url, MultiMap.caseInsensitiveMultiMap(), null);
  }

  /** This call, to be finished by {@code auth} just before it is sent. */
  public UpstreamCall withLateAuth(Function<UpstreamCall, Future<UpstreamCall>> auth) {
    return new UpstreamCall(method, url, headers, body, auth);
  }

  /** This call at another URL (same headers and body). */
  public UpstreamCall withUrl(String newUrl) { return new UpstreamCall(method, newUrl, headers, body, lateAuth); }

  /** The call ready to send: {@link #lateAuth} applied; this call when it has none. */
  public Future<UpstreamCall> resolved() {
    if (lateAuth == null) return Future.succeededFuture(this);
    return lateAuth.apply(new UpstreamCall(method, url, headers, body, null));
  }

  public UpstreamCall header(String name, String value) {
    headers.set(name, value);
    return this;
  }
}
