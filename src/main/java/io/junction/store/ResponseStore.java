package io.junction.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** responses: stored Responses API responses with the input items they were made from. */
public final class ResponseStore {

  /** One stored response; {@code inputItems} and {@code response} are JSON text. */
  public record StoredResponse(String id, String owner, long createdMs, String model, String inputItems, String response) {}

  private final Database db;

  public ResponseStore(Database db) { this.db = db; }

  public CompletableFuture<Void> save(StoredResponse r) {
    return db.call(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO responses (id, owner, created_ms, model, input_items, response) VALUES (?,?,?,?,?,?)")) {
        ps.setString(1, r.id());
        ps.setString(2, r.owner());
        ps.setLong(3, r.createdMs());
        ps.setString(4, r.model());
        ps.setString(5, r.inputItems());
        ps.setString(6, r.response());
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** The response {@code id} if it exists and was created at or after {@code notBeforeMs}. */
  public CompletableFuture<Optional<StoredResponse>> find(String id, long notBeforeMs) {
    return db.call(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, owner, created_ms, model, input_items, response FROM responses WHERE id = ? AND created_ms >= ?")) {
        ps.setString(1, id);
        ps.setLong(2, notBeforeMs);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return Optional.empty();
          return Optional.of(new StoredResponse(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
              rs.getString(5), rs.getString(6)));
        }
      }
    });
  }

  /** Deletes {@code id}; completes with whether it existed. */
  public CompletableFuture<Boolean> delete(String id) {
    return db.call(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM responses WHERE id = ?")) {
        ps.setString(1, id);
        return ps.executeUpdate() > 0;
      }
    });
  }

  /** Deletes responses created before {@code cutoffMs}; completes with how many went. */
  public CompletableFuture<Integer> deleteOlderThan(long cutoffMs) {
    return db.call(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM responses WHERE created_ms < ?")) {
        ps.setLong(1, cutoffMs);
        return ps.executeUpdate();
      }
    });
  }
}
