package io.junction.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * The JDBC connection pool (SQLite or PostgreSQL), migrated by Flyway on open, plus the executor
 * every blocking call runs on. Callers get {@link CompletableFuture}s completed on a
 * {@code junction-db-N} thread, so nothing here ever blocks a Vert.x event loop.
 *
 * <p>Failures are isolated: a watchdog ({@link #watch}) probes the database every period (and, for
 * SQLite, that its file is still the one opened); a failed probe, a connection-level error or a
 * vanished file marks the database unavailable, and from then until a probe succeeds every call
 * fails at once with {@link StoreUnavailableException} instead of waiting out a connection timeout.
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
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);
  /** A probe that has not answered within this marks the database unavailable. */
  static final long PROBE_TIMEOUT_MS = 2_000;

  public final Vendor vendor;
  /** The JDBC URL, for a connection of its own (the change listener's). */
  final String jdbcUrl;
  private final HikariDataSource pool;
  private final ExecutorService executor;
  /** The SQLite file and its identity when opened (null for PostgreSQL and in-memory databases). */
  private final Path file;
  private final Object fileKey;
  /** Why the database is unavailable, or null while it is available. */
  private volatile String downReason;
  private volatile boolean fileLost;
  private volatile ScheduledExecutorService watchdog;
  private ExecutorService prober;
  private Future<?> probe;

  private Database(Vendor vendor, String jdbcUrl, HikariDataSource pool, int threads, Path file) {
    this.vendor = vendor;
    this.jdbcUrl = jdbcUrl;
    this.pool = pool;
    this.file = file;
    this.fileKey = file == null ? null : fileKey(file);
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
      // instead of failing them with SQLITE_BUSY, and busy_timeout covers other processes (e.g. the
      // sqlite3 shell) holding a lock. No memory-mapped file at all: WAL maps its -shm index and a
      // mapped file made unwritable or truncated under us is a SIGBUS that kills the JVM, where a
      // rollback journal only fails the write (rows dropped and counted).
      size = 1;
      config.addDataSourceProperty("journal_mode", "TRUNCATE");
      config.addDataSourceProperty("mmap_size", "0");
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
    return new Database(vendor, jdbcUrl, pool, size, vendor == Vendor.SQLITE ? sqliteFile(jdbcUrl) : null);
  }

  /** Whether calls can be made now; false from a failed probe or connection error until a probe succeeds. */
  public boolean available() { return downReason == null; }

  /** Why the database is unavailable, or null. */
  public String unavailableReason() { return downReason; }

  /** Starts probing every {@code periodMs} (daemon threads; {@link #close} stops them). */
  public synchronized Database watch(long periodMs) {
    if (watchdog != null) return this;
    watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "junction-db-watchdog"));
    prober = Executors.newSingleThreadExecutor(r -> daemon(r, "junction-db-probe"));
    watchdog.scheduleWithFixedDelay(this::check, periodMs, periodMs, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One watchdog round: the SQLite file first, then a query with a deadline. */
  void check() {
    try {
      if (file != null && !fileLost && !sameFile()) {
        fileLost = true;
        markDown("database file " + file + " was deleted or replaced while running; what is written now is lost"
            + " — restart Junction to recreate it (virtual keys and stored providers must be created again)");
      }
      if (fileLost) return;
      if (probe == null || probe.isDone()) {
        probe = prober.submit(() -> {
          try (Connection c = pool.getConnection(); var st = c.createStatement()) {
            st.execute("SELECT 1");
          }
          return null;
        });
      }
      probe.get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      markUp();
    } catch (java.util.concurrent.TimeoutException e) {
      markDown("database did not answer within " + PROBE_TIMEOUT_MS + " ms");
    } catch (java.util.concurrent.ExecutionException e) {
      markDown("database unreachable: " + rootMessage(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("database watchdog: {}", e.toString());
    }
  }

  private void markDown(String reason) {
    if (downReason == null) LOG.warn("database unavailable: {}", reason);
    downReason = reason;
  }

  private void markUp() {
    if (downReason != null && !fileLost) {
      LOG.info("database available again");
      downReason = null;
    }
  }

  private boolean sameFile() {
    Object now = fileKey(file);
    return now != null && now.equals(fileKey);
  }

  private static Object fileKey(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.fileKey() != null ? a.fileKey() : a.creationTime();
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** The file of a {@code jdbc:sqlite:} URL, or null for an in-memory database. */
  static Path sqliteFile(String jdbcUrl) {
    String rest = jdbcUrl.substring("jdbc:sqlite:".length());
    if (rest.startsWith("file:")) rest = rest.substring("file:".length());
    int q = rest.indexOf('?');
    if (q >= 0) rest = rest.substring(0, q);
    if (rest.isEmpty() || rest.contains(":memory:") || rest.contains("mode=memory")) return null;
    return Path.of(rest).toAbsolutePath();
  }

  /**
   * Errors that say the database itself is unreachable or unusable (not that a statement was
   * wrong): connection failures (SQLState class 08, pool timeouts) and SQLite's I/O, read-only,
   * full, corrupt and cannot-open errors.
   */
  static boolean unavailable(SQLException e) {
    if (e instanceof SQLTransientConnectionException) return true;
    String state = e.getSQLState();
    if (state != null && state.startsWith("08")) return true;
    String m = String.valueOf(e.getMessage());
    return m.contains("SQLITE_IOERR") || m.contains("SQLITE_READONLY") || m.contains("SQLITE_FULL")
        || m.contains("SQLITE_CORRUPT") || m.contains("SQLITE_CANTOPEN") || m.contains("SQLITE_NOTADB");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Runs {@code work} on a pooled connection in auto-commit mode, off the caller's thread. */
  public <T> CompletableFuture<T> call(Work<T> work) {
    String down = downReason;
    if (down != null) return CompletableFuture.failedFuture(new StoreUnavailableException(down));
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = pool.getConnection()) {
        return work.run(c);
      } catch (SQLException e) {
        if (unavailable(e)) {
          if (watchdog != null) markDown(rootMessage(e)); // only the watchdog can bring it back
          throw new CompletionException(new StoreUnavailableException("database unavailable: " + rootMessage(e)));
        }
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
    synchronized (this) {
      if (watchdog != null) watchdog.shutdownNow();
      if (prober != null) prober.shutdownNow();
    }
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
