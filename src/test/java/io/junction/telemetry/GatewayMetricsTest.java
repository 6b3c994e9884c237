package io.junction.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.junction.protocol.Usage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  private final GatewayMetrics metrics = new GatewayMetrics();

  @AfterEach
  void close() {
    metrics.close();
  }

  static RequestEvent request(String provider, String model, int status, long latencyMs, long ttftMs, Usage usage) {
    return new RequestEvent(0, "r", null, "openai", model, provider, model, ttftMs >= 0, status,
        latencyMs * 1000, ttftMs < 0 ? -1 : ttftMs * 1000, usage, 1, null, Price.Cost.ZERO, -1);
  }

  @Test
  void percentilesAreExactOnSmallValuesAndWithinOnePercentAboveThem() {
    for (int ms = 1; ms <= 100; ms++) metrics.onRequest(request("openai", "gpt-4o", 200, ms, ms * 10L, Usage.ZERO), 0);
    MetricsSnapshot.Stats s = metrics.snapshot("openai").totals();
    assertThat(s.latencyMs()).isEqualTo(new MetricsSnapshot.Percentiles(50L, 95L, 99L));
    // ttft 10..1000 ms: the true p50/p95/p99 are 500, 950, 990; above 256 ms buckets are < 1% wide.
    assertThat(s.ttftMs().p50().doubleValue()).isCloseTo(500, within(5.0));
    assertThat(s.ttftMs().p95().doubleValue()).isCloseTo(950, within(9.5));
    assertThat(s.ttftMs().p99().doubleValue()).isCloseTo(990, within(9.9));
  }

  @Test
  void countsTokensCostAndOutcomesPerModelAndPerProvider() {
    metrics.onRequest(request("openai", "gpt-4o", 200, 100, -1, new Usage(1000, 100, 400, 0, 0)), 0.5);
    metrics.onRequest(request("openai", "gpt-4o-mini", 200, 50, 20, new Usage(10, 5)), 0.25);
    metrics.onRequest(request("openai", "gpt-4o", 502, 30, -1, Usage.ZERO), 0);
    metrics.onAttempt(new AttemptEvent("r", 1, "openai", "gpt-4o", 0, 429, 1000, "rate limited"));
    metrics.onAttempt(new AttemptEvent("r", 2, "openai", "gpt-4o", 1, 200, 1000, null));
    metrics.onAttempt(new AttemptEvent("r", 1, "anthropic", "claude-sonnet-4-5", 0, 0, 1000, "connect"));

    MetricsSnapshot.Provider openai = metrics.snapshot("openai");
    assertThat(openai.totals().requests()).isEqualTo(3);
    assertThat(openai.totals().successes()).isEqualTo(2);
    assertThat(openai.totals().errors()).isEqualTo(1);
    assertThat(openai.totals().successRate()).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(openai.totals().inputTokens()).isEqualTo(1010);
    assertThat(openai.totals().cachedTokens()).isEqualTo(400);
    assertThat(openai.totals().costUsd()).isCloseTo(0.75, within(1e-12));
    assertThat(openai.totals().ttftMs().p50()).isEqualTo(20);
    assertThat(openai.models().keySet()).containsExactly("gpt-4o", "gpt-4o-mini");
    assertThat(openai.models().get("gpt-4o").attempts()).isEqualTo(2);
    assertThat(openai.models().get("gpt-4o").failedAttempts()).isEqualTo(1);
    assertThat(openai.models().get("gpt-4o").ttftMs()).isEqualTo(MetricsSnapshot.Percentiles.NONE);

    MetricsSnapshot.Provider anthropic = metrics.snapshot("anthropic");
    assertThat(anthropic.totals().requests()).isZero();
    assertThat(anthropic.totals().successRate()).isNull();
    assertThat(anthropic.totals().failedAttempts()).isEqualTo(1);

    JsonNode json = metrics.snapshot().toJson();
    JsonNode gpt4o = json.at("/providers/openai/models/gpt-4o");
    assertThat(gpt4o.get("success_rate").asDouble()).isEqualTo(0.5);
    assertThat(gpt4o.at("/latency_ms/p99").asLong()).isEqualTo(100);
    assertThat(json.at("/providers/openai/output_tokens").asLong()).isEqualTo(105);
  }

  @Test
  void resetZeroesTheApiFiguresButNotPrometheusCounters() {
    metrics.onRequest(request("openai", "gpt-4o", 200, 10, -1, new Usage(5, 5)), 1);
    metrics.reset();
    assertThat(metrics.snapshot().providers()).isEmpty();
    assertThat(metrics.snapshot("openai")).isNull();
    assertThat(metrics.scrape()).contains("junction_requests_total{model=\"gpt-4o\",provider=\"openai\",status=\"200\"} 1.0");
  }

  @Test
  void prometheusExpositionHasTheConventionalNames() {
    metrics.onRequest(request("openai", "gpt-4o", 200, 120, 40, new Usage(100, 10, 30, 0, 0)), 0.01);
    metrics.onAttempt(new AttemptEvent("r", 1, "openai", "gpt-4o", 0, 503, 5000, "overloaded"));
    metrics.onDropped("queue_full", 3);

    String text = metrics.scrape();
    Set<String> names = new HashSet<>();
    Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)");
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      Matcher m = sample.matcher(line);
      assertThat(m.find()).as("a valid sample line: %s", line).isTrue();
      names.add(m.group(1));
    }
    assertThat(names).contains("junction_requests_total", "junction_request_duration_seconds_bucket",
        "junction_request_duration_seconds_count", "junction_request_duration_seconds_sum",
        "junction_ttft_seconds_bucket", "junction_tokens_total", "junction_cost_usd_total",
        "junction_telemetry_dropped_total", "junction_upstream_attempts_total",
        "jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds");
    assertThat(text).contains("junction_tokens_total{direction=\"cached\",model=\"gpt-4o\",provider=\"openai\"} 30.0");
    assertThat(text).contains("junction_telemetry_dropped_total{reason=\"queue_full\"} 3.0");
    assertThat(text).contains("junction_upstream_attempts_total{model=\"gpt-4o\",outcome=\"failure\",provider=\"openai\"} 1.0");
    assertThat(text).contains("junction_request_duration_seconds_bucket{model=\"gpt-4o\",provider=\"openai\",le=\"0.25\"} 1");
  }

  @Test
  void theGrafanaDashboardQueriesOnlyMetricsWeExport() throws Exception {
    metrics.onRequest(request("openai", "gpt-4o", 200, 120, 40, new Usage(100, 10)), 0.01);
    metrics.onAttempt(new AttemptEvent("r", 1, "openai", "gpt-4o", 0, 503, 5000, "overloaded"));
    metrics.onDropped("queue_full", 1);
    Set<String> exported = new HashSet<>();
    for (String line : metrics.scrape().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) exported.add(line.split("[{ ]", 2)[0]);
    }
    JsonNode dashboard = Json.MAPPER.readTree(Path.of("deploy/grafana/junction.json").toFile());
    Set<String> queried = new HashSet<>();
    Matcher names = Pattern.compile("\\b(junction_[a-z_]+|jvm_[a-z_]+)").matcher(dashboard.toString());
    while (names.find()) queried.add(names.group(1));
    assertThat(queried).contains("junction_requests_total", "junction_request_duration_seconds_bucket",
        "junction_ttft_seconds_bucket", "junction_tokens_total", "junction_cost_usd_total");
    assertThat(exported).containsAll(queried);
  }

  @Test
  void modelLabelsAreBoundedAgainstInventedNames() {
    for (int i = 0; i < GatewayMetrics.MAX_SERIES + 100; i++) {
      metrics.onRequest(request("openai", "model-" + i, 404, 1, -1, Usage.ZERO), 0);
    }
    MetricsSnapshot.Provider openai = metrics.snapshot("openai");
    assertThat(openai.models()).hasSizeLessThanOrEqualTo(GatewayMetrics.MAX_SERIES + 1).containsKey(GatewayMetrics.OTHER);
    assertThat(openai.models().get(GatewayMetrics.OTHER).requests()).isEqualTo(100);
    assertThat(openai.totals().requests()).isEqualTo(GatewayMetrics.MAX_SERIES + 100);
  }
}
