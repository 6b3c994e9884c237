package io.junction.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the changes other instances announce on the shared PostgreSQL ({@code LISTEN
 * junction_changes}) and hands each batch of changed kinds ({@link Database#KEYS_CHANGED},
 * {@link Database#PROVIDERS_CHANGED}) to a callback. One daemon thread with its own connection
 * (a LISTEN needs a connection that stays open, so not one of the pool's). When the connection
 * drops it reconnects every second, and after a reconnect reports every kind as changed, since
 * announcements made meanwhile are lost.
 */
public final class ChangeListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);
  private static final int WAIT_MS = 500;
  static final Set<String> EVERYTHING = Set.of(Database.KEYS_CHANGED, Database.PROVIDERS_CHANGED);

  private final String jdbcUrl;
  private final Consumer<Set<String>> onChange;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection connection;

  private ChangeListener(String jdbcUrl, Consumer<Set<String>> onChange) {
    this.jdbcUrl = jdbcUrl;
    this.onChange = onChange;
    this.thread = Thread.ofPlatform().name("junction-change-listener").daemon().unstarted(this::run);
  }

  /** Starts listening on {@code db}; null for SQLite, which only one instance uses. */
  public static ChangeListener start(Database db, Consumer<Set<String>> onChange) {
    if (db.vendor != Database.Vendor.POSTGRESQL) return null;
    ChangeListener l = new ChangeListener(db.jdbcUrl, onChange);
    l.thread.start();
    return l;
  }

  private void run() {
    boolean connectedBefore = false;
    boolean warned = false;
    while (!closed) {
      try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
        connection = c;
        s.execute("LISTEN " + Database.CHANGE_CHANNEL);
        if (connectedBefore) {
          LOG.info("listening for changes again; reloading keys and providers");
          deliver(EVERYTHING);
        }
        connectedBefore = true;
        warned = false;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] batch = pg.getNotifications(WAIT_MS);
          if (batch == null || batch.length == 0) continue;
          Set<String> kinds = new HashSet<>();
          for (PGNotification n : batch) kinds.add(n.getParameter());
          deliver(kinds);
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) break;
        if (!warned) LOG.warn("change listener lost the database ({}); retrying every second, periodic reloads continue",
            e.toString());
        warned = true;
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException ie) {
          break;
        }
      } finally {
        connection = null;
      }
    }
  }

  private void deliver(Set<String> kinds) {
    try {
      onChange.accept(kinds);
    } catch (RuntimeException e) {
      LOG.warn("applying a change announcement failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
