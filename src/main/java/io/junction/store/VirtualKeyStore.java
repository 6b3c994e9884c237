package io.junction.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.junction.protocol.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** virtual_keys rows. Allowed models are stored as a JSON array (portable across both databases). */
public final class VirtualKeyStore {
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final Database db;

  public VirtualKeyStore(Database db) { this.db = db; }

  public CompletableFuture<Void> insert(VirtualKey k) {
    return db.call(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO virtual_keys (id, name, secret_hash, allowed_models, "
          + "rpm, tpm, budget_usd, spent_usd, created_ms, revoked_ms) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
        ps.setString(1, k.id());
        ps.setString(2, k.name());
        ps.setString(3, k.secretHash());
        ps.setString(4, toJson(k.allowedModels()));
        setNullable(ps, 5, k.rpm(), Types.INTEGER);
        setNullable(ps, 6, k.tpm(), Types.BIGINT);
        setNullable(ps, 7, k.budgetUsd(), Types.DOUBLE);
        ps.setDouble(8, k.spentUsd());
        ps.setLong(9, k.createdMs());
        setNullable(ps, 10, k.revokedMs(), Types.BIGINT);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** Every key, revoked ones included, oldest first. */
  public CompletableFuture<List<VirtualKey>> list() {
    return db.call(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM virtual_keys ORDER BY created_ms, id");
          ResultSet rs = ps.executeQuery()) {
        List<VirtualKey> out = new ArrayList<>();
        while (rs.next()) out.add(read(rs));
        return out;
      }
    });
  }

  /** Marks {@code id} revoked at {@code atMs}; completes with false when no unrevoked key has that id. */
  public CompletableFuture<Boolean> revoke(String id, long atMs) {
    return db.call(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE virtual_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL")) {
        ps.setLong(1, atMs);
        ps.setString(2, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Adds each key's pending spend to spent_usd, in one transaction. */
  public CompletableFuture<Void> addSpend(Map<String, Double> usdByKey) {
    if (usdByKey.isEmpty()) return CompletableFuture.completedFuture(null);
    return db.transaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE virtual_keys SET spent_usd = spent_usd + ? WHERE id = ?")) {
        for (Map.Entry<String, Double> e : usdByKey.entrySet()) {
          ps.setDouble(1, e.getValue());
          ps.setString(2, e.getKey());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  private static VirtualKey read(ResultSet rs) throws SQLException {
    return new VirtualKey(rs.getString("id"), rs.getString("name"), rs.getString("secret_hash"),
        fromJson(rs.getString("allowed_models")), intOrNull(rs, "rpm"), longOrNull(rs, "tpm"),
        doubleOrNull(rs, "budget_usd"), rs.getDouble("spent_usd"), rs.getLong("created_ms"),
        longOrNull(rs, "revoked_ms"));
  }

  private static Integer intOrNull(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
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
