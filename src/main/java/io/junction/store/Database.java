package io.junction.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * The JDBC connection pool (SQLite or PostgreSQL), migrated by Flyway on open, plus the executor
 * every blocking call runs on. Callers get {@link CompletableFuture}s completed on a
 * {@code junction-db-N} thread, so nothing here ever blocks a Vert.x event loop.
 */
public final class Database implements AutoCloseable {

  /** Supported databases; {@link #flywayName} picks the migration folder {@code db/migration/<name>}. */
  public enum Vendor {
    SQLITE("sqlite"), POSTGRESQL("postgresql");

    public final String flywayName;

    Vendor(String flywayName) { this.flywayName = flywayName; }

    static Vendor of(String jdbcUrl) {
      if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:sqlite:")) return SQLITE;
      if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) return POSTGRESQL;
      throw new IllegalArgumentException(
          "storage.url must start with jdbc:sqlite: or jdbc:postgresql:, got '" + jdbcUrl + "'");
    }
  }

  /** A unit of JDBC work; may throw {@link SQLException}. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final int POSTGRES_POOL_SIZE = 8;

  /** PostgreSQL channel on which a change to providers or keys is announced to every instance. */
  public static final String CHANGE_CHANNEL = "junction_changes";
  public static final String KEYS_CHANGED = "keys";
  public static final String PROVIDERS_CHANGED = "providers";

  public final Vendor vendor;
  /** The JDBC URL, for a connection of its own (the change listener's). */
  final String jdbcUrl;
  private final HikariDataSource pool;
  private final ExecutorService executor;

  private Database(Vendor vendor, String jdbcUrl, HikariDataSource pool, int threads) {
    this.vendor = vendor;
    this.jdbcUrl = jdbcUrl;
    this.pool = pool;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "junction-db-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens the pool for {@code jdbcUrl} and applies pending migrations. Blocking: call it at
   * startup, before the event loops serve traffic. Throws {@link IllegalArgumentException} for an
   * unsupported URL and {@link IllegalStateException} with a one-line reason when the database is
   * unreachable or a migration fails.
   */
  public static Database open(String jdbcUrl) {
    Vendor vendor = Vendor.of(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("junction-" + vendor.flywayName);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(1); // one attempt: serve must fail fast on an unreachable database
    int size;
    if (vendor == Vendor.SQLITE) {
      // SQLite allows one writer at a time; a single connection serialises writes in the pool
      // instead of failing them with SQLITE_BUSY. WAL lets that connection's reads not block on
      // checkpoints, and busy_timeout covers other processes (e.g. the sqlite3 shell) holding a lock.
      size = 1;
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "NORMAL");
      config.addDataSourceProperty("busy_timeout", "5000");
      config.setMaxLifetime(0); // never recycle: a jdbc:sqlite::memory: database dies with its connection
    } else {
      size = POSTGRES_POOL_SIZE;
    }
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(Math.min(size, 2));

    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot open database " + redact(jdbcUrl) + ": " + rootMessage(e), e);
    }
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration/" + vendor.flywayName)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw new IllegalStateException("cannot migrate database " + redact(jdbcUrl) + ": " + rootMessage(e), e);
    }
    return new Database(vendor, jdbcUrl, pool, size);
  }

  /** Runs {@code work} on a pooled connection in auto-commit mode, off the caller's thread. */
  public <T> CompletableFuture<T> call(Work<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = pool.getConnection()) {
        return work.run(c);
      } catch (SQLException e) {
        throw new CompletionException(new StoreException(e));
      }
    }, executor);
  }

  /** Like {@link #call} but in one transaction: committed when {@code work} returns, rolled back if it throws. */
  public <T> CompletableFuture<T> transaction(Work<T> work) {
    return call(c -> {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  /**
   * Announces {@code what} changed to every instance on this database (PostgreSQL NOTIFY, sent when
   * {@code c}'s transaction commits, so a listener that reloads sees the change). SQLite is one
   * instance's file: nothing to announce.
   */
  void notifyChange(Connection c, String what) throws SQLException {
    if (vendor != Vendor.POSTGRESQL) return;
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, CHANGE_CHANNEL);
      ps.setString(2, what);
      ps.execute();
    }
  }

  /** Stops accepting work, lets queued calls finish (up to 10 s), then closes the pool. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.close();
  }

  /** The URL without its query string, which may carry a password. */
  static String redact(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
