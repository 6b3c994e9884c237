package io.junction.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import io.junction.telemetry.AttemptEvent;
import java.time.Instant;

/** One row of request_attempts: an upstream attempt, ended at {@code timeMs}; status 0 = no response. */
public record AttemptEntry(
    long timeMs, String requestId, int attempt, String provider, String model, int keyIndex, int status,
    long latencyMs, String error) implements TelemetryRow {

  public static AttemptEntry of(AttemptEvent e, long endedMs) {
    return new AttemptEntry(endedMs, e.requestId(), e.attempt(), e.provider(), e.model(), e.keyIndex(), e.status(),
        e.latencyMicros() / 1000, e.error());
  }

  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("attempt", attempt);
    n.put("time", Instant.ofEpochMilli(timeMs).toString());
    n.put("provider", provider);
    n.put("model", model);
    n.put("key_index", keyIndex);
    n.put("status", status);
    n.put("latency_ms", latencyMs);
    n.put("error", error);
    return n;
  }
}
