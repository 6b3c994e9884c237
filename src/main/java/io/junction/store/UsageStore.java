package io.junction.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * usage_rollups: per-minute usage rows written by each instance's telemetry writer (see
 * {@code telemetry.UsageRollups}), read back merged into minute, hour or day buckets.
 */
public final class UsageStore {
  private static final String FIGURES = "requests, errors, input_tokens, output_tokens, cached_tokens, cost_usd, latency_hist";

  private final Database db;

  public UsageStore(Database db) { this.db = db; }

  /** This instance's stored rows for {@code keys}, those that exist. */
  public CompletableFuture<Map<UsageRollup.Key, UsageRollup>> load(String instance, Collection<UsageRollup.Key> keys) {
    return db.call(c -> {
      Map<UsageRollup.Key, UsageRollup> out = new java.util.HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + FIGURES + " FROM usage_rollups "
          + "WHERE bucket_ms = ? AND provider = ? AND model = ? AND key_id = ? AND instance = ?")) {
        for (UsageRollup.Key k : keys) {
          ps.setLong(1, k.bucketMs());
          ps.setString(2, k.provider());
          ps.setString(3, k.model());
          ps.setString(4, k.keyId());
          ps.setString(5, instance);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) out.put(k, figures(rs, 1));
          }
        }
      }
      return out;
    });
  }

  /** Writes the full current state of {@code rows} (this instance's), inserting or replacing each, in {@code c}'s transaction. */
  static int save(Connection c, String instance, Map<UsageRollup.Key, UsageRollup> rows) throws SQLException {
    if (rows.isEmpty()) return 0;
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_rollups (bucket_ms, provider, model, key_id, "
        + "instance, " + FIGURES + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
        + "ON CONFLICT (bucket_ms, provider, model, key_id, instance) DO UPDATE SET requests = excluded.requests, "
        + "errors = excluded.errors, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, "
        + "cached_tokens = excluded.cached_tokens, cost_usd = excluded.cost_usd, latency_hist = excluded.latency_hist")) {
      for (Map.Entry<UsageRollup.Key, UsageRollup> e : rows.entrySet()) {
        UsageRollup.Key k = e.getKey();
        UsageRollup r = e.getValue();
        ps.setLong(1, k.bucketMs());
        ps.setString(2, k.provider());
        ps.setString(3, k.model());
        ps.setString(4, k.keyId());
        ps.setString(5, instance);
        ps.setLong(6, r.requests);
        ps.setLong(7, r.errors);
        ps.setLong(8, r.inputTokens);
        ps.setLong(9, r.outputTokens);
        ps.setLong(10, r.cachedTokens);
        ps.setDouble(11, r.costUsd);
        ps.setBytes(12, r.encodedHistogram());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return rows.size();
  }

  /** The time series {@code q} asks for, every bucket of the range present (zeros where nothing ran). */
  public CompletableFuture<ObjectNode> query(UsageQuery q) {
    StringBuilder sql = new StringBuilder("SELECT bucket_ms, provider, model, key_id, " + FIGURES
        + " FROM usage_rollups WHERE bucket_ms >= ? AND bucket_ms < ?");
    List<String> values = new ArrayList<>();
    filter(sql, values, "provider", q.provider(), CostReport.NONE);
    filter(sql, values, "model", q.model(), CostReport.NONE);
    filter(sql, values, "key_id", q.keyId(), CostReport.NO_KEY);
    return db.call(c -> {
      Map<Long, UsageRollup> total = new TreeMap<>();
      Map<String, Map<Long, UsageRollup>> groups = new TreeMap<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        ps.setLong(1, q.fromMs());
        ps.setLong(2, q.toMs());
        for (int i = 0; i < values.size(); i++) ps.setString(3 + i, values.get(i));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long bucket = q.bucket().floor(rs.getLong(1));
            UsageRollup r = figures(rs, 5);
            total.computeIfAbsent(bucket, b -> new UsageRollup()).merge(r);
            if (q.groupBy() != null) {
              String group = switch (q.groupBy()) {
                case PROVIDER -> orElse(rs.getString(2), CostReport.NONE);
                case MODEL -> orElse(rs.getString(3), CostReport.NONE);
                case KEY -> orElse(rs.getString(4), CostReport.NO_KEY);
              };
              groups.computeIfAbsent(group, g -> new TreeMap<>()).computeIfAbsent(bucket, b -> new UsageRollup()).merge(r);
            }
          }
        }
      }
      ObjectNode n = Json.object();
      n.put("from", Instant.ofEpochMilli(q.fromMs()).toString());
      n.put("to", Instant.ofEpochMilli(q.toMs()).toString());
      n.put("bucket", q.bucket().id());
      n.put("group_by", q.groupBy() == null ? null : q.groupBy().id());
      series(n.putArray("data"), q, total);
      if (q.groupBy() != null) {
        ObjectNode g = n.putObject("groups");
        groups.forEach((name, buckets) -> series(g.putArray(name), q, buckets));
      }
      return n;
    });
  }

  private static void series(ArrayNode out, UsageQuery q, Map<Long, UsageRollup> buckets) {
    UsageRollup empty = new UsageRollup();
    for (long b = q.fromMs(); b < q.toMs(); b += q.bucket().millis) {
      UsageRollup r = buckets.getOrDefault(b, empty);
      ObjectNode p = out.addObject();
      p.put("start", Instant.ofEpochMilli(b).toString());
      p.put("requests", r.requests);
      p.put("errors", r.errors);
      p.put("input_tokens", r.inputTokens);
      p.put("output_tokens", r.outputTokens);
      p.put("cached_tokens", r.cachedTokens);
      p.put("cost_usd", r.costUsd);
      p.put("latency_p50_ms", r.latencyAt(50));
      p.put("latency_p99_ms", r.latencyAt(99));
    }
  }

  /** A filter on a key column: the API's names for "none" match the stored empty string. */
  private static void filter(StringBuilder sql, List<String> values, String column, String value, String noneName) {
    if (value == null) return;
    sql.append(" AND ").append(column).append(" = ?");
    values.add(value.equals(noneName) ? "" : value);
  }

  private static String orElse(String stored, String noneName) {
    return stored == null || stored.isEmpty() ? noneName : stored;
  }

  private static UsageRollup figures(ResultSet rs, int first) throws java.sql.SQLException {
    return UsageRollup.of(rs.getLong(first), rs.getLong(first + 1), rs.getLong(first + 2), rs.getLong(first + 3),
        rs.getLong(first + 4), rs.getDouble(first + 5), rs.getBytes(first + 6));
  }
}
