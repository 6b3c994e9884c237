package io.junction.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import io.junction.protocol.Usage;
import io.junction.telemetry.RequestEvent;
import java.time.Instant;

/**
 * One row of request_logs. {@code id} is 0 before insertion; {@code ttftMs} is null for
 * non-streamed answers; {@code inputTokens} includes {@code cachedTokens} (see {@link Usage}).
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
    boolean stream) implements TelemetryRow {

  /** The row to insert for a finished request whose cost was priced at {@code costUsd}. */
  public static LogEntry of(RequestEvent e, double costUsd) {
    Usage u = e.usage() == null ? Usage.ZERO : e.usage();
    return new LogEntry(0, e.timestampMillis(), e.requestId(), e.keyId(), e.inboundProtocol(), e.provider(),
        e.model(), e.requestedModel(), e.status(), e.latencyMicros() / 1000,
        e.ttftMicros() < 0 ? null : e.ttftMicros() / 1000, u.inputTokens(), u.outputTokens(),
        u.cacheReadTokens(), costUsd, e.attempts(), e.error(), e.stream());
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
    return n;
  }
}
