package io.junction.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import java.time.Instant;
import java.util.Map;

/**
 * Spend over {@code [fromMs, toMs)} (null = unbounded), summed from request_logs. Map keys:
 * provider name, upstream model name, virtual key id ({@link #NO_KEY} for requests without one);
 * each map is ordered by descending cost.
 */
public record CostReport(
    Long fromMs, Long toMs, double totalUsd,
    Map<String, Double> byProvider, Map<String, Double> byModel, Map<String, Double> byKey) {

  /** The by_key entry for requests made without a virtual key (no master key configured). */
  public static final String NO_KEY = "anonymous";
  /** The by_provider / by_model entry for requests that never reached a provider. */
  public static final String NONE = "none";

  public ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("from", fromMs == null ? null : Instant.ofEpochMilli(fromMs).toString());
    n.put("to", toMs == null ? null : Instant.ofEpochMilli(toMs).toString());
    n.put("total_usd", totalUsd);
    putMap(n.putObject("by_provider"), byProvider);
    putMap(n.putObject("by_model"), byModel);
    putMap(n.putObject("by_key"), byKey);
    return n;
  }

  private static void putMap(ObjectNode target, Map<String, Double> values) {
    values.forEach(target::put);
  }
}
