package io.junction.protocol.responses;

import java.util.concurrent.ThreadLocalRandom;

/** Ids in OpenAI's style: a type prefix and 48 hex digits. */
public final class ResponseIds {
  private ResponseIds() {}

  public static String next(String prefix) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(prefix.length() + 49).append(prefix).append('_');
    for (int i = 0; i < 3; i++) {
      String h = Long.toHexString(r.nextLong());
      sb.append("0".repeat(16 - h.length())).append(h);
    }
    return sb.toString();
  }
}
