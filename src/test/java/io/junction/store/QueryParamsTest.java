package io.junction.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.protocol.GatewayException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParamsTest {
  static LogQuery logs(Map<String, String> params) {
    return LogQuery.fromParams(params::get);
  }

  static void rejects(Runnable parse, String param) {
    assertThatThrownBy(parse::run).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.status).isEqualTo(400);
      assertThat(e.param).isEqualTo(param);
    });
  }

  @Test
  void logQueryDefaultsAndFilters() {
    assertThat(logs(Map.of())).isEqualTo(new LogQuery(null, null, null, 100, null, null));
    assertThat(logs(Map.of("provider", "openai", "model", "gpt-4o", "status", "429", "limit", "1000", "before", "42")))
        .isEqualTo(new LogQuery("openai", "gpt-4o", 429, 1000, 42L, null));
    long t = Instant.parse("2026-11-20T12:00:00Z").toEpochMilli();
    assertThat(logs(Map.of("before", "2026-11-20T12:00:00Z")).beforeTimeMs()).isEqualTo(t);
    assertThat(logs(Map.of("before", Long.toString(t))).beforeTimeMs()).as("13 digits = epoch millis").isEqualTo(t);
    assertThat(logs(Map.of("provider", " ")).provider()).isNull();
  }

  @Test
  void logQueryRejectsBadParameters() {
    rejects(() -> logs(Map.of("limit", "0")), "limit");
    rejects(() -> logs(Map.of("limit", "1001")), "limit");
    rejects(() -> logs(Map.of("limit", "ten")), "limit");
    rejects(() -> logs(Map.of("status", "42")), "status");
    rejects(() -> logs(Map.of("before", "yesterday")), "before");
  }

  @Test
  void timeRangeAcceptsInstantsDatesAndMillis() {
    long nov1 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    assertThat(TimeRange.fromParams(Map.of("from", "2026-11-01", "to", "2026-11-01T00:00:01Z")::get))
        .isEqualTo(new TimeRange(nov1, nov1 + 1000));
    assertThat(TimeRange.fromParams(Map.of("from", Long.toString(nov1))::get)).isEqualTo(new TimeRange(nov1, null));
    assertThat(TimeRange.fromParams(Map.<String, String>of()::get)).isEqualTo(TimeRange.ALL);
    rejects(() -> TimeRange.fromParams(Map.of("from", "2026-13-01")::get), "from");
    rejects(() -> TimeRange.fromParams(Map.of("from", "2026-11-02", "to", "2026-11-01")::get), "to");
  }
}
