package io.junction.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * providers: provider configs created or replaced through the management API, kept as the JSON
 * the API received (the caller validates and converts it to a ProviderConfig).
 */
public final class ProviderStore {
  private final Database db;

  public ProviderStore(Database db) { this.db = db; }

  /** Creates or replaces the provider {@code name}. */
  public CompletableFuture<Void> save(String name, JsonNode config) {
    String json = Json.text(config);
    long now = System.currentTimeMillis();
    return db.call(c -> {
      // ON CONFLICT … DO UPDATE is the same upsert syntax in SQLite (3.24+) and PostgreSQL (9.5+).
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO providers (name, config, updated_ms) VALUES (?,?,?) "
          + "ON CONFLICT (name) DO UPDATE SET config = excluded.config, updated_ms = excluded.updated_ms")) {
        ps.setString(1, name);
        ps.setString(2, json);
        ps.setLong(3, now);
        ps.executeUpdate();
      }
      db.notifyChange(c, Database.PROVIDERS_CHANGED);
      return null;
    });
  }

  /** Removes {@code name}; completes with false if it was not stored. */
  public CompletableFuture<Boolean> delete(String name) {
    return db.call(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM providers WHERE name = ?")) {
        ps.setString(1, name);
        boolean deleted = ps.executeUpdate() == 1;
        if (deleted) db.notifyChange(c, Database.PROVIDERS_CHANGED);
        return deleted;
      }
    });
  }

  /** Every stored provider config by name, in name order. */
  public CompletableFuture<Map<String, JsonNode>> list() {
    return db.call(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT name, config FROM providers ORDER BY name");
          ResultSet rs = ps.executeQuery()) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        while (rs.next()) {
          String name = rs.getString(1);
          try {
            out.put(name, Json.parse(rs.getString(2)));
          } catch (IOException e) {
            throw new SQLException("providers.config of '" + name + "' is not valid JSON", e);
          }
        }
        return out;
      }
    });
  }
}
