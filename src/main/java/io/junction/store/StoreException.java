package io.junction.store;

import java.sql.SQLException;

/** A failed database call, unchecked so it can travel through {@link java.util.concurrent.CompletableFuture}s. */
public class StoreException extends RuntimeException {
  public StoreException(SQLException cause) {
    super("database error: " + cause.getMessage(), cause);
  }

  protected StoreException(String message) {
    super(message, null);
  }
}
