package io.junction.provider;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/** One fully prepared upstream HTTP request: absolute URL, headers (auth included) and body. */
public record UpstreamCall(HttpMethod method, String url, MultiMap headers, Buffer body) {

  public static UpstreamCall post(String url, Buffer body) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.set("content-type", "application/json");
    return new UpstreamCall(HttpMethod.POST, url, h, body);
  }

  public static UpstreamCall get(String url) {
    return new UpstreamCall(HttpMethod.GET, url, MultiMap.caseInsensitiveMultiMap(), null);
  }

  public UpstreamCall header(String name, String value) {
    headers.set(name, value);
    return this;
  }
}
