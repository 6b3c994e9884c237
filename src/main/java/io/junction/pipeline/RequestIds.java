package io.junction.pipeline;

import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids: the client's own {@code x-request-id} when it is sane, else a random 96-bit id. */
public final class RequestIds {
  private RequestIds() {}

  public static String of(HttpServerRequest req) {
    String given = req.getHeader(Headers.REQUEST_ID);
    if (given != null && given.length() <= 128 && given.chars().allMatch(c -> c > 32 && c < 127)) return given;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "req_" + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Integer.toHexString(r.nextInt() | Integer.MIN_VALUE);
  }
}
