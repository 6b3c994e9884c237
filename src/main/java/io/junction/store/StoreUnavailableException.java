package io.junction.store;

/** The database is known to be down (unreachable, or its file gone): calls fail at once with this instead of waiting. */
public final class StoreUnavailableException extends StoreException {
  public StoreUnavailableException(String reason) {
    super(reason);
  }
}
