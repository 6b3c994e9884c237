package io.junction.telemetry;

/**
 * One upstream attempt of a request. {@code status} is the upstream HTTP status, or 0 when no
 * response came (connection error, timeout). {@code keyIndex} is the position of the provider key
 * used in its pool (never the key itself).
 */
public record AttemptEvent(
    String requestId,
    int attempt,
    String provider,
    String model,
    int keyIndex,
    int status,
    long latencyMicros,
    String error) {}
