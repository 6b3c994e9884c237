package io.junction.store;

import io.junction.protocol.GatewayException;
import java.util.function.Function;

/** A half-open time window {@code [fromMs, toMs)} in epoch millis; null ends are unbounded. */
public record TimeRange(Long fromMs, Long toMs) {
  public static final TimeRange ALL = new TimeRange(null, null);

  /** Reads {@code from} and {@code to} query parameters (see {@link LogQuery#fromParams}); 400 when unreadable or reversed. */
  public static TimeRange fromParams(Function<String, String> param) {
    Long from = TimeParam.parse("from", param.apply("from"));
    Long to = TimeParam.parse("to", param.apply("to"));
    if (from != null && to != null && from >= to) {
      throw GatewayException.invalid("to", "'to' must be after 'from'");
    }
    return new TimeRange(from, to);
  }
}
