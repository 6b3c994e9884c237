package io.junction.store;

import io.junction.protocol.GatewayException;
import java.util.function.Function;

/**
 * A page of request logs, newest first. Null filters match everything. Paging: pass the last
 * row's id as {@code beforeId} (rows with a smaller id), or {@code beforeTimeMs} (rows strictly
 * older than that instant).
 */
public record LogQuery(String provider, String model, Integer status, int limit, Long beforeId, Long beforeTimeMs) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public LogQuery {
    if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
  }

  public static LogQuery latest(int limit) {
    return new LogQuery(null, null, null, limit, null, null);
  }

  public LogQuery withProvider(String p) {
    return new LogQuery(p, model, status, limit, beforeId, beforeTimeMs);
  }

  /**
   * Reads {@code provider, model, status, limit, before} from query parameters ({@code param}
   * returns null when absent). {@code before} is a row id (all digits, below 10^12) or an instant
   * as in {@code /costs}. Throws a 400 {@link GatewayException} naming the bad parameter.
   */
  public static LogQuery fromParams(Function<String, String> param) {
    Integer status = integer(param, "status", 100, 599);
    Integer limit = integer(param, "limit", 1, MAX_LIMIT);
    String before = blankToNull(param.apply("before"));
    Long beforeId = null;
    Long beforeTime = null;
    if (before != null) {
      // Ids are row counters, epoch millis are 13 digits: anything shorter is an id.
      if (before.chars().allMatch(Character::isDigit) && before.length() < 13) beforeId = Long.parseLong(before);
      else beforeTime = TimeParam.parse("before", before);
    }
    return new LogQuery(blankToNull(param.apply("provider")), blankToNull(param.apply("model")), status,
        limit == null ? DEFAULT_LIMIT : limit, beforeId, beforeTime);
  }

  private static Integer integer(Function<String, String> param, String name, int min, int max) {
    String v = blankToNull(param.apply(name));
    if (v == null) return null;
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException ignored) {
      // falls through to the error below
    }
    throw GatewayException.invalid(name, "'" + name + "' must be an integer from " + min + " to " + max);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
