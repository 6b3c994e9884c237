package io.junction.telemetry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import java.util.Map;

/**
 * What {@code GET /api/v1/metrics} shows: per provider its totals and per model its figures,
 * counted since {@code sinceMs} (start or last reset).
 */
public record MetricsSnapshot(long sinceMs, Map<String, Provider> providers) {

  /** Percentiles in milliseconds; all null when nothing was recorded. */
  public record Percentiles(Long p50, Long p95, Long p99) {
    public static final Percentiles NONE = new Percentiles(null, null, null);

    ObjectNode toJson() {
      ObjectNode n = Json.object();
      n.put("p50", p50);
      n.put("p95", p95);
      n.put("p99", p99);
      return n;
    }
  }

  /**
   * Figures for one provider or one provider+model. {@code requests/successes/errors} count
   * client requests this provider answered last (success = status below 400); {@code attempts}
   * and {@code failedAttempts} count every upstream call made to it, including ones that failed
   * over to another provider. {@code successRate} is null with no requests.
   */
  public record Stats(
      long requests, long successes, long errors, Double successRate,
      Percentiles latencyMs, Percentiles ttftMs,
      long inputTokens, long outputTokens, long cachedTokens, double costUsd,
      long attempts, long failedAttempts) {

    public ObjectNode toJson() {
      ObjectNode n = Json.object();
      n.put("requests", requests);
      n.put("successes", successes);
      n.put("errors", errors);
      n.put("success_rate", successRate);
      n.set("latency_ms", latencyMs.toJson());
      n.set("ttft_ms", ttftMs.toJson());
      n.put("input_tokens", inputTokens);
      n.put("output_tokens", outputTokens);
      n.put("cached_tokens", cachedTokens);
      n.put("cost_usd", costUsd);
      n.put("attempts", attempts);
      n.put("failed_attempts", failedAttempts);
      return n;
    }
  }

  /** A provider's totals (all its models together) and each model's own figures. */
  public record Provider(Stats totals, Map<String, Stats> models) {
    public ObjectNode toJson() {
      ObjectNode n = totals.toJson();
      ObjectNode byModel = n.putObject("models");
      models.forEach((model, stats) -> byModel.set(model, stats.toJson()));
      return n;
    }
  }

  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("since", java.time.Instant.ofEpochMilli(sinceMs).toString());
    ObjectNode byProvider = n.putObject("providers");
    providers.forEach((name, p) -> byProvider.set(name, p.toJson()));
    return n;
  }
}
