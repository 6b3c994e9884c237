package io.junction.store;

import io.junction.protocol.GatewayException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code GET /api/v1/usage}: buckets of {@code bucket} size over {@code [fromMs, toMs)} (aligned to
 * UTC minutes, hours or days), filtered by provider, model and key (null = all), optionally split
 * into one series per provider, model or key.
 */
public record UsageQuery(long fromMs, long toMs, Bucket bucket, String provider, String model, String keyId, Dimension groupBy) {
  /** More buckets than this in one answer is a 400: ask for a coarser bucket or a shorter range. */
  public static final int MAX_BUCKETS = 5_000;

  public enum Bucket {
    MINUTE(Duration.ofMinutes(1)), HOUR(Duration.ofHours(1)), DAY(Duration.ofDays(1));

    public final long millis;

    Bucket(Duration d) { this.millis = d.toMillis(); }

    public long floor(long ms) { return ms - Math.floorMod(ms, millis); }

    public String id() { return name().toLowerCase(Locale.ROOT); }
  }

  public enum Dimension {
    PROVIDER, MODEL, KEY;

    public String id() { return name().toLowerCase(Locale.ROOT); }
  }

  /**
   * Reads {@code from, to, bucket, provider, model, key, group_by}. Defaults: {@code to} now,
   * {@code bucket} hour, {@code from} 24 buckets before {@code to} (1 h of minutes, a day of hours,
   * 24 days of days). 400 naming the parameter when one is unreadable.
   */
  public static UsageQuery fromParams(Function<String, String> param, long nowMs) {
    Bucket bucket = choice(param, "bucket", Bucket.class, Bucket.HOUR);
    Dimension groupBy = choice(param, "group_by", Dimension.class, null);
    TimeRange range = TimeRange.fromParams(param);
    long to = bucket.floor((range.toMs() == null ? nowMs : range.toMs()) + bucket.millis - 1);
    long from = bucket.floor(range.fromMs() == null ? to - 24 * bucket.millis : range.fromMs());
    if (from >= to) throw GatewayException.invalid("to", "'to' must be after 'from'");
    if ((to - from) / bucket.millis > MAX_BUCKETS) {
      throw GatewayException.invalid("bucket", "More than " + MAX_BUCKETS + " " + bucket.id()
          + " buckets in that range; use a larger bucket or a shorter range");
    }
    return new UsageQuery(from, to, bucket, blank(param.apply("provider")), blank(param.apply("model")),
        blank(param.apply("key")), groupBy);
  }

  private static <E extends Enum<E>> E choice(Function<String, String> param, String name, Class<E> type, E fallback) {
    String v = blank(param.apply(name));
    if (v == null) return fallback;
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v)) return e;
    }
    StringBuilder allowed = new StringBuilder();
    for (E e : type.getEnumConstants()) allowed.append(allowed.isEmpty() ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
    throw GatewayException.invalid(name, "'" + name + "' must be one of: " + allowed);
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
