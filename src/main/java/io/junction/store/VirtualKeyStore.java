package io.junction.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.junction.protocol.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * virtual_keys rows with their budgets (key_budgets), and the spend per key and period
 * (key_spend). Allowed models are stored as a JSON array (portable across both databases).
 */
public final class VirtualKeyStore {
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final Database db;

  public VirtualKeyStore(Database db) { this.db = db; }

  public CompletableFuture<Void> insert(VirtualKey k) {
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO virtual_keys (id, name, secret_hash, allowed_models, "
          + "rpm, tpm, created_ms, revoked_ms) VALUES (?,?,?,?,?,?,?,?)")) {
        ps.setString(1, k.id());
        ps.setString(2, k.name());
        ps.setString(3, k.secretHash());
        ps.setString(4, toJson(k.allowedModels()));
        setNullable(ps, 5, k.rpm(), Types.INTEGER);
        setNullable(ps, 6, k.tpm(), Types.BIGINT);
        ps.setLong(7, k.createdMs());
        setNullable(ps, 8, k.revokedMs(), Types.BIGINT);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO key_budgets (key_id, period, budget_usd) VALUES (?,?,?)")) {
        for (KeyBudget b : k.budgets()) {
          ps.setString(1, k.id());
          ps.setString(2, b.period().id());
          ps.setDouble(3, b.usd());
          ps.addBatch();
        }
        if (!k.budgets().isEmpty()) ps.executeBatch();
      }
      db.notifyChange(c, Database.KEYS_CHANGED);
      return null;
    });
  }

  /** Every key, revoked ones included, oldest first. */
  public CompletableFuture<List<VirtualKey>> list() {
    return db.call(c -> {
      Map<String, List<KeyBudget>> budgets = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT key_id, period, budget_usd FROM key_budgets ORDER BY key_id, period");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          BudgetPeriod p = BudgetPeriod.of(rs.getString(2));
          if (p == null) throw new SQLException("key_budgets.period is not a known period: " + rs.getString(2));
          budgets.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new KeyBudget(p, rs.getDouble(3)));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM virtual_keys ORDER BY created_ms, id");
          ResultSet rs = ps.executeQuery()) {
        List<VirtualKey> out = new ArrayList<>();
        while (rs.next()) out.add(read(rs, budgets.getOrDefault(rs.getString("id"), List.of())));
        return out;
      }
    });
  }

  /** Spend of the periods that contain {@code nowMs} (and every total), per key and period. */
  public CompletableFuture<Map<SpendKey, Double>> currentSpend(long nowMs) {
    return db.call(c -> {
      Map<SpendKey, Double> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT key_id, period, period_start_ms, spent_usd FROM key_spend WHERE period_start_ms = 0 OR period_start_ms >= ?")) {
        ps.setLong(1, BudgetPeriod.MONTHLY.startMs(nowMs) - 7L * 86_400_000); // covers a week begun last month
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            BudgetPeriod p = BudgetPeriod.of(rs.getString(2));
            if (p == null || p.startMs(nowMs) != rs.getLong(3)) continue; // a past period
            out.put(new SpendKey(rs.getString(1), p, rs.getLong(3)), rs.getDouble(4));
          }
        }
      }
      return out;
    });
  }

  /** Marks {@code id} revoked at {@code atMs}; completes with false when no unrevoked key has that id. */
  public CompletableFuture<Boolean> revoke(String id, long atMs) {
    return db.call(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE virtual_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL")) {
        ps.setLong(1, atMs);
        ps.setString(2, id);
        boolean revoked = ps.executeUpdate() == 1;
        if (revoked) db.notifyChange(c, Database.KEYS_CHANGED);
        return revoked;
      }
    });
  }

  /** Adds each pending spend to its key's period row (created at the first spend of a period), in one transaction. */
  public CompletableFuture<Void> addSpend(Map<SpendKey, Double> usd) {
    if (usd.isEmpty()) return CompletableFuture.completedFuture(null);
    return db.transaction(c -> {
      // Additive upserts: every instance adds its own spend, none overwrites another's.
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO key_spend (key_id, period, period_start_ms, spent_usd) "
          + "VALUES (?,?,?,?) ON CONFLICT (key_id, period, period_start_ms) DO UPDATE SET spent_usd = key_spend.spent_usd + excluded.spent_usd")) {
        for (Map.Entry<SpendKey, Double> e : usd.entrySet()) {
          ps.setString(1, e.getKey().keyId());
          ps.setString(2, e.getKey().period().id());
          ps.setLong(3, e.getKey().periodStartMs());
          ps.setDouble(4, e.getValue());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  private static VirtualKey read(ResultSet rs, List<KeyBudget> budgets) throws SQLException {
    return new VirtualKey(rs.getString("id"), rs.getString("name"), rs.getString("secret_hash"),
        fromJson(rs.getString("allowed_models")), intOrNull(rs, "rpm"), longOrNull(rs, "tpm"),
        budgets, rs.getLong("created_ms"), longOrNull(rs, "revoked_ms"));
  }

  private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static void setNullable(PreparedStatement ps, int i, Object v, int sqlType) throws SQLException {
    if (v == null) ps.setNull(i, sqlType);
    else ps.setObject(i, v);
  }

  private static String toJson(List<String> models) {
    try {
      return Json.MAPPER.writeValueAsString(models);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> fromJson(String json) throws SQLException {
    try {
      return Json.MAPPER.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new SQLException("virtual_keys.allowed_models is not a JSON array of strings: " + json, e);
    }
  }
}
