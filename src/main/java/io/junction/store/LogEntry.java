package io.junction.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import io.junction.protocol.Usage;
import io.junction.telemetry.Price;
import io.junction.telemetry.RequestEvent;
import java.time.Instant;

/**
 * One row of request_logs. {@code id} is 0 before insertion; {@code ttftMs} is null for
 * non-streamed answers; {@code inputTokens} includes {@code cachedTokens} and {@code cacheWriteTokens}
 * (see {@link Usage}). {@code cost} is the bill part by part ({@code costUsd} its total); its tier
 * is null when the model had no known price. {@code keyIndex} is the pool position of the provider key
 * whose attempt answered (-1: none did): the row is also the record of that attempt (see
 * {@link RequestLogStore#detail}).
 */
public record LogEntry(
    long id,
    long timeMs,
    String requestId,
    String keyId,
    String inboundProtocol,
    String provider,
    String model,
    String requestedModel,
    int status,
    long latencyMs,
    Long ttftMs,
    long inputTokens,
    long outputTokens,
    long cachedTokens,
    double costUsd,
    int attempts,
    String error,
    boolean stream,
    long cacheWriteTokens,
    long reasoningTokens,
    Price.Cost cost,
    int keyIndex) implements TelemetryRow {

  /** A row without the cost breakdown (cost_usd only). */
  public LogEntry(long id, long timeMs, String requestId, String keyId, String inboundProtocol, String provider,
      String model, String requestedModel, int status, long latencyMs, Long ttftMs, long inputTokens,
      long outputTokens, long cachedTokens, double costUsd, int attempts, String error, boolean stream) {
    this(id, timeMs, requestId, keyId, inboundProtocol, provider, model, requestedModel, status, latencyMs, ttftMs,
        inputTokens, outputTokens, cachedTokens, costUsd, attempts, error, stream, 0, 0, Price.Cost.ZERO, -1);
  }

  /** The row to insert for a finished request. */
  public static LogEntry of(RequestEvent e) {
    Price.Cost cost = e.cost();
    Usage u = e.usage() == null ? Usage.ZERO : e.usage();
    return new LogEntry(0, e.timestampMillis(), e.requestId(), e.keyId(), e.inboundProtocol(), e.provider(),
        e.model(), e.requestedModel(), e.status(), e.latencyMicros() / 1000,
        e.ttftMicros() < 0 ? null : e.ttftMicros() / 1000, u.inputTokens(), u.outputTokens(),
        u.cacheReadTokens(), cost.totalUsd(), e.attempts(), e.error(), e.stream(), u.cacheWriteTokens(),
        u.reasoningTokens(), cost, e.keyIndex());
  }

  /** The management API's shape (CONTRACT §6): snake_case, {@code time} as an ISO-8601 instant. */
  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("id", id);
    n.put("time", Instant.ofEpochMilli(timeMs).toString());
    n.put("request_id", requestId);
    n.put("key_id", keyId);
    n.put("inbound_protocol", inboundProtocol);
    n.put("provider", provider);
    n.put("model", model);
    n.put("requested_model", requestedModel);
    n.put("status", status);
    n.put("latency_ms", latencyMs);
    n.put("ttft_ms", ttftMs);
    n.put("input_tokens", inputTokens);
    n.put("output_tokens", outputTokens);
    n.put("cached_tokens", cachedTokens);
    n.put("cost_usd", costUsd);
    n.put("attempts", attempts);
    n.put("error", error);
    n.put("stream", stream);
    n.put("cache_write_tokens", cacheWriteTokens);
    n.put("reasoning_tokens", reasoningTokens);
    ObjectNode c = n.putObject("cost_breakdown");
    c.put("input_usd", cost.inputUsd());
    c.put("cache_read_usd", cost.cacheReadUsd());
    c.put("cache_write_usd", cost.cacheWriteUsd());
    c.put("output_usd", cost.outputUsd());
    c.put("tier", cost.tier());
    return n;
  }
}
