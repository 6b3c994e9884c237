package io.junction.store;

import io.junction.telemetry.Price;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** request_logs and request_attempts: batched inserts from the telemetry writer, paged reads, cost sums, retention. */
public final class RequestLogStore {
  private static final String COLUMNS = "time_ms, request_id, key_id, inbound_protocol, provider, model, "
      + "requested_model, status, latency_ms, ttft_ms, input_tokens, output_tokens, cached_tokens, cost_usd, "
      + "attempts, error, stream, cache_write_tokens, reasoning_tokens, input_cost_usd, cache_read_cost_usd, "
      + "cache_write_cost_usd, output_cost_usd, price_tier, key_index";
  private static final String INSERT = "INSERT INTO request_logs (" + COLUMNS + ") VALUES ("
      + "?,".repeat(COLUMNS.split(",").length - 1) + "?)";

  /** Clock slack when matching attempts to their request by time. */
  private static final long ATTEMPT_SLACK_MS = 1_000;

  private final Database db;

  public RequestLogStore(Database db) { this.db = db; }

  /** Whether the database takes writes now (see {@link Database#available()}). */
  public boolean available() { return db.available(); }

  /** Inserts {@code rows} in one transaction with one batched statement; completes with the row count. */
  public CompletableFuture<Integer> insert(List<LogEntry> rows) {
    if (rows.isEmpty()) return CompletableFuture.completedFuture(0);
    return db.transaction(c -> insert(c, rows));
  }

  /** Inserts {@code rows} with one batched statement in {@code c}'s transaction. */
  static int insert(Connection c, List<LogEntry> rows) throws SQLException {
    if (rows.isEmpty()) return 0;
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (LogEntry r : rows) {
        int i = 0;
        ps.setLong(++i, r.timeMs());
        ps.setString(++i, r.requestId());
        ps.setString(++i, r.keyId());
        ps.setString(++i, r.inboundProtocol());
        ps.setString(++i, r.provider());
        ps.setString(++i, r.model());
        ps.setString(++i, r.requestedModel());
        ps.setInt(++i, r.status());
        ps.setLong(++i, r.latencyMs());
        if (r.ttftMs() == null) ps.setNull(++i, Types.BIGINT);
        else ps.setLong(++i, r.ttftMs());
        ps.setLong(++i, r.inputTokens());
        ps.setLong(++i, r.outputTokens());
        ps.setLong(++i, r.cachedTokens());
        ps.setDouble(++i, r.costUsd());
        ps.setInt(++i, r.attempts());
        ps.setString(++i, r.error());
        ps.setBoolean(++i, r.stream());
        ps.setLong(++i, r.cacheWriteTokens());
        ps.setLong(++i, r.reasoningTokens());
        ps.setDouble(++i, r.cost().inputUsd());
        ps.setDouble(++i, r.cost().cacheReadUsd());
        ps.setDouble(++i, r.cost().cacheWriteUsd());
        ps.setDouble(++i, r.cost().outputUsd());
        ps.setString(++i, r.cost().tier());
        if (r.keyIndex() < 0) ps.setNull(++i, Types.INTEGER);
        else ps.setInt(++i, r.keyIndex());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return rows.size();
  }

  /** Inserts attempt rows with one batched statement in {@code c}'s transaction. */
  static int insertAttempts(Connection c, List<AttemptEntry> rows) throws SQLException {
    if (rows.isEmpty()) return 0;
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO request_attempts (time_ms, request_id, attempt, "
        + "provider, model, key_index, status, latency_ms, error) VALUES (?,?,?,?,?,?,?,?,?)")) {
      for (AttemptEntry a : rows) {
        ps.setLong(1, a.timeMs());
        ps.setString(2, a.requestId());
        ps.setInt(3, a.attempt());
        ps.setString(4, a.provider());
        ps.setString(5, a.model());
        ps.setInt(6, a.keyIndex());
        ps.setInt(7, a.status());
        ps.setLong(8, a.latencyMs());
        ps.setString(9, a.error());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return rows.size();
  }

  /** One logged request and its attempts. */
  public record Detail(LogEntry log, List<AttemptEntry> attempts) {}

  /**
   * The row {@code id} with its attempts, or null. Attempts are matched by request id within the
   * request's own time span (a client may reuse its own {@code x-request-id}). Only attempts that
   * failed have rows; the one that answered is the log row itself, listed last.
   */
  public CompletableFuture<Detail> detail(long id) {
    return db.call(c -> {
      LogEntry log;
      try (PreparedStatement ps = c.prepareStatement("SELECT id, " + COLUMNS + " FROM request_logs WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return null;
          log = read(rs);
        }
      }
      List<AttemptEntry> attempts = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT time_ms, request_id, attempt, provider, model, key_index, "
          + "status, latency_ms, error FROM request_attempts WHERE request_id = ? AND time_ms >= ? AND time_ms <= ? "
          + "ORDER BY attempt, id")) {
        ps.setString(1, log.requestId());
        // The row's time is the request's start or its end (either way the attempts lie within latency of it).
        ps.setLong(2, log.timeMs() - log.latencyMs() - ATTEMPT_SLACK_MS);
        ps.setLong(3, log.timeMs() + log.latencyMs() + ATTEMPT_SLACK_MS);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            attempts.add(new AttemptEntry(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                rs.getInt(6), rs.getInt(7), rs.getLong(8), rs.getString(9)));
          }
        }
      }
      // The attempt that answered has no row of its own: the log row records it (V6).
      if (log.keyIndex() >= 0 && attempts.size() < log.attempts()) {
        attempts.add(new AttemptEntry(log.timeMs(), log.requestId(), log.attempts(), log.provider(), log.model(),
            log.keyIndex(), log.status(), log.latencyMs(), null));
      }
      return new Detail(log, attempts);
    });
  }

  /** The page {@code q} asks for, newest (highest id) first. */
  public CompletableFuture<List<LogEntry>> query(LogQuery q) {
    Where where = new Where()
        .and("provider = ?", q.provider())
        .and("model = ?", q.model())
        .and("status = ?", q.status())
        .and("id < ?", q.beforeId())
        .and("time_ms < ?", q.beforeTimeMs());
    String sql = "SELECT id, " + COLUMNS + " FROM request_logs" + where.sql() + " ORDER BY id DESC LIMIT " + q.limit();
    return db.call(c -> {
      try (PreparedStatement ps = where.prepare(c, sql); ResultSet rs = ps.executeQuery()) {
        List<LogEntry> out = new ArrayList<>();
        while (rs.next()) out.add(read(rs));
        return out;
      }
    });
  }

  /**
   * Total and per provider/model/key spend over {@code range}, from one grouped query (so the
   * three breakdowns come from the same snapshot and always add up to the total).
   */
  public CompletableFuture<CostReport> costs(TimeRange range) {
    Where where = new Where().and("time_ms >= ?", range.fromMs()).and("time_ms < ?", range.toMs());
    String sql = "SELECT provider, model, key_id, SUM(cost_usd) FROM request_logs" + where.sql()
        + " GROUP BY provider, model, key_id";
    return db.call(c -> {
      Map<String, Double> byProvider = new HashMap<>();
      Map<String, Double> byModel = new HashMap<>();
      Map<String, Double> byKey = new HashMap<>();
      double total = 0;
      try (PreparedStatement ps = where.prepare(c, sql); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double usd = rs.getDouble(4);
          total += usd;
          byProvider.merge(orElse(rs.getString(1), CostReport.NONE), usd, Double::sum);
          byModel.merge(orElse(rs.getString(2), CostReport.NONE), usd, Double::sum);
          byKey.merge(orElse(rs.getString(3), CostReport.NO_KEY), usd, Double::sum);
        }
      }
      return new CostReport(range.fromMs(), range.toMs(), total,
          byCostDescending(byProvider), byCostDescending(byModel), byCostDescending(byKey));
    });
  }

  /**
   * Deletes log rows older than {@code cutoffMs}, and with them attempt rows and usage rollups of
   * minutes before it; completes with how many log rows went.
   */
  public CompletableFuture<Integer> deleteOlderThan(long cutoffMs) {
    return db.call(c -> {
      int logs;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM request_logs WHERE time_ms < ?")) {
        ps.setLong(1, cutoffMs);
        logs = ps.executeUpdate();
      }
      for (String sql : new String[] {"DELETE FROM request_attempts WHERE time_ms < ?", "DELETE FROM usage_rollups WHERE bucket_ms < ?"}) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setLong(1, cutoffMs);
          ps.executeUpdate();
        }
      }
      return logs;
    });
  }

  private static String orElse(String value, String fallback) {
    return value == null ? fallback : value;
  }

  /** Highest spend first; ties by name, so the order is stable. */
  private static Map<String, Double> byCostDescending(Map<String, Double> sums) {
    Map<String, Double> out = new LinkedHashMap<>();
    sums.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static LogEntry read(ResultSet rs) throws SQLException {
    long ttft = rs.getLong("ttft_ms");
    Long ttftMs = rs.wasNull() ? null : ttft;
    return new LogEntry(rs.getLong("id"), rs.getLong("time_ms"), rs.getString("request_id"), rs.getString("key_id"),
        rs.getString("inbound_protocol"), rs.getString("provider"), rs.getString("model"),
        rs.getString("requested_model"), rs.getInt("status"), rs.getLong("latency_ms"), ttftMs,
        rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cached_tokens"),
        rs.getDouble("cost_usd"), rs.getInt("attempts"), rs.getString("error"), rs.getBoolean("stream"),
        rs.getLong("cache_write_tokens"), rs.getLong("reasoning_tokens"),
        new Price.Cost(rs.getDouble("input_cost_usd"), rs.getDouble("cache_read_cost_usd"),
            rs.getDouble("cache_write_cost_usd"), rs.getDouble("output_cost_usd"), rs.getString("price_tier")),
        keyIndex(rs));
  }

  private static int keyIndex(ResultSet rs) throws SQLException {
    int k = rs.getInt("key_index");
    return rs.wasNull() ? -1 : k;
  }

  /** A WHERE clause built from optional filters: a null value leaves its condition out. */
  private static final class Where {
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    Where and(String condition, Object value) {
      if (value != null) {
        conditions.add(condition);
        values.add(value);
      }
      return this;
    }

    String sql() {
      return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    PreparedStatement prepare(Connection c, String sql) throws SQLException {
      PreparedStatement ps = c.prepareStatement(sql);
      try {
        for (int i = 0; i < values.size(); i++) ps.setObject(i + 1, values.get(i));
        return ps;
      } catch (SQLException e) {
        ps.close();
        throw e;
      }
    }
  }
}
