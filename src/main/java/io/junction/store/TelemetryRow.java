package io.junction.store;

/** What the telemetry writer queues and writes in batches: request-log rows and attempt rows. */
public sealed interface TelemetryRow permits LogEntry, AttemptEntry {}
