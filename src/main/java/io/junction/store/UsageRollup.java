package io.junction.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Usage figures of one bucket (a minute as stored; an hour or a day when merged for a query):
 * counts, tokens, cost and a latency histogram in ms, which merges exactly (no averaged
 * percentiles). Not thread-safe: built and merged by one thread at a time.
 */
public final class UsageRollup {
  /** Latencies above this (ms) count as this; two significant digits, as {@code GatewayMetrics}. */
  public static final long MAX_TRACKED_MS = 600_000;
  private static final int SIGNIFICANT_DIGITS = 2;

  /** Where a rollup row belongs: its minute and dimensions ("" = none). */
  public record Key(long bucketMs, String provider, String model, String keyId) {}

  public long requests;
  public long errors;
  public long inputTokens;
  public long outputTokens;
  public long cachedTokens;
  public double costUsd;
  public final Histogram latencyMs;

  public UsageRollup() {
    this(new Histogram(MAX_TRACKED_MS, SIGNIFICANT_DIGITS));
  }

  private UsageRollup(Histogram latencyMs) {
    this.latencyMs = latencyMs;
  }

  /** Counts one finished request; a status of 400 or more is an error. */
  public void add(LogEntry row) {
    requests++;
    if (row.status() >= 400) errors++;
    inputTokens += row.inputTokens();
    outputTokens += row.outputTokens();
    cachedTokens += row.cachedTokens();
    costUsd += row.costUsd();
    latencyMs.recordValue(Math.min(MAX_TRACKED_MS, Math.max(0, row.latencyMs())));
  }

  public void merge(UsageRollup other) {
    requests += other.requests;
    errors += other.errors;
    inputTokens += other.inputTokens;
    outputTokens += other.outputTokens;
    cachedTokens += other.cachedTokens;
    costUsd += other.costUsd;
    latencyMs.add(other.latencyMs);
  }

  /** Latency at {@code percentile} (0–100) in ms, or null with no requests. */
  public Long latencyAt(double percentile) {
    return latencyMs.getTotalCount() == 0 ? null : latencyMs.getValueAtPercentile(percentile);
  }

  /** The histogram in HdrHistogram's compressed encoding, as stored. */
  public byte[] encodedHistogram() {
    ByteBuffer buf = ByteBuffer.allocate(latencyMs.getNeededByteBufferCapacity());
    int n = latencyMs.encodeIntoCompressedByteBuffer(buf);
    return Arrays.copyOf(buf.array(), n);
  }

  /** A rollup read back from its columns. */
  static UsageRollup of(long requests, long errors, long in, long out, long cached, double cost, byte[] histogram) {
    Histogram h;
    try {
      h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(histogram), MAX_TRACKED_MS);
    } catch (DataFormatException e) {
      throw new IllegalStateException("unreadable latency histogram in usage_rollups", e);
    }
    UsageRollup r = new UsageRollup();
    r.latencyMs.add(h);
    r.requests = requests;
    r.errors = errors;
    r.inputTokens = in;
    r.outputTokens = out;
    r.cachedTokens = cached;
    r.costUsd = cost;
    return r;
  }
}
