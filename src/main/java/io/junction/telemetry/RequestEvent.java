package io.junction.telemetry;

import io.junction.protocol.Usage;

/**
 * One client request, emitted once when its answer is complete (or failed). {@code provider} and
 * {@code model} are the ones that answered last (the upstream model name); {@code ttftMicros} is
 * -1 for non-streamed answers. {@code keyId} is the virtual key's id, "master", or null.
 * {@code costUsd} is the price of {@code usage}, computed once when the event is made.
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
    double costUsd) {}
