package io.junction.telemetry;

import io.junction.protocol.Usage;

/**
 * One client request, emitted once when its answer is complete (or failed). {@code provider} and
 * {@code model} are the ones that answered last (the upstream model name); {@code ttftMicros} is
 * -1 for non-streamed answers. {@code keyId} is the virtual key's id, "master", or null.
 * {@code cost} is the bill for {@code usage}, priced once when the event is made ({@link Price.Cost#ZERO}
 * when the model has no known price); {@code keyIndex} is the pool position of the provider key
 * whose attempt answered, -1 when none did.
 */
public record RequestEvent(
    long timestampMillis,
    String requestId,
    String keyId,
    String inboundProtocol,
    String requestedModel,
    String provider,
    String model,
    boolean stream,
    int status,
    long latencyMicros,
    long ttftMicros,
    Usage usage,
    int attempts,
    String error,
    Price.Cost cost,
    int keyIndex) {

  /** The bill's total in USD. */
  public double costUsd() { return cost.totalUsd(); }
}
