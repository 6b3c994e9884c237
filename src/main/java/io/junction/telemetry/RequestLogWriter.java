package io.junction.telemetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes request-log rows (and attempt rows) in the background. {@link #offer} never blocks: it puts the row in a
 * bounded queue, or drops it (counted via {@link DropListener}) when the queue is full. One
 * daemon thread wakes every {@code linger} (at once while a full batch waits), takes up to
 * {@code maxBatch} rows and hands them to the sink in one call (one batched INSERT). Offering a row
 * never wakes that thread, so the request path pays a queue insert and no system call.
 *
 * <p>Durability: {@link #close()} drains the queue and writes everything before returning, so a
 * clean stop loses nothing. A {@code kill -9} (or a crash) loses what was not yet written: at
 * most the queued rows ({@code capacity}) plus the batch being gathered or written (up to
 * {@code maxBatch} rows, i.e. one {@code linger} window of traffic).
 *
 * <p>A batch that fails because the database is unreachable (a connection error) is held and
 * retried with back-off until the database returns, while new rows wait in the bounded queue
 * (overflow is dropped and counted as usual): an outage delays rows, and loses only what does not
 * fit. A batch the database rejects for any other reason is logged and dropped (reason
 * {@code write_failed}), since retrying it would fail forever; so is a held batch at close.
 * While the store says it is unavailable (its watchdog), rows wait in the queue instead of being
 * thrown at it (CONTRACT §9); past its capacity they are dropped and counted.
 */
public final class RequestLogWriter<T> implements AutoCloseable {
  public static final int DEFAULT_CAPACITY = 10_000;
  public static final int DEFAULT_MAX_BATCH = 2_000;
  public static final Duration DEFAULT_LINGER = Duration.ofMillis(200);

  /** Where batches go; called on the writer thread only, may block. */
  @FunctionalInterface
  public interface BatchSink<T> {
    void write(List<T> rows) throws Exception;
  }

  @FunctionalInterface
  public interface DropListener {
    void dropped(String reason, int rows);
  }

  /** How long a writer waits while the store is unavailable, and the step of its back-off sleeps. */
  private static final long IDLE_POLL_MS = 100;
  private static final Logger LOG = LoggerFactory.getLogger(RequestLogWriter.class);

  private final BlockingQueue<T> queue;
  private final BatchSink<T> sink;
  private final DropListener drops;
  private final int maxBatch;
  private final long lingerNanos;
  private final Thread thread;
  private volatile boolean closing;
  /** Whether the last write found the database unreachable (logged once per outage). */
  private boolean unreachable;
  private static final long MAX_BACKOFF_MS = 5_000;
  private final java.util.function.BooleanSupplier available;

  public RequestLogWriter(BatchSink<T> sink, DropListener drops) {
    this(sink, drops, DEFAULT_CAPACITY, DEFAULT_MAX_BATCH, DEFAULT_LINGER);
  }

  public RequestLogWriter(BatchSink<T> sink, DropListener drops, int capacity, int maxBatch, Duration linger) {
    this(sink, drops, capacity, maxBatch, linger, () -> true);
  }

  /** {@code available} says whether the sink can take writes now; rows wait while it says no. */
  public RequestLogWriter(BatchSink<T> sink, DropListener drops, int capacity, int maxBatch, Duration linger,
      java.util.function.BooleanSupplier available) {
    this.available = available;
    if (capacity < 1 || maxBatch < 1) throw new IllegalArgumentException("capacity and maxBatch must be positive");
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.sink = sink;
    this.drops = drops;
    this.maxBatch = maxBatch;
    this.lingerNanos = linger.toNanos();
    this.thread = Thread.ofPlatform().name("junction-log-writer").daemon().start(this::run);
  }

  /** Queues {@code row} for writing; returns false (and counts a drop) when full or closed. */
  public boolean offer(T row) {
    if (closing) {
      drops.dropped("closed", 1);
      return false;
    }
    if (queue.offer(row)) return true;
    drops.dropped("queue_full", 1);
    return false;
  }

  /** Rows waiting to be written. */
  public int pending() { return queue.size(); }

  /** Stops taking rows, waits for the writer thread to write every queued one, and returns. */
  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(thread);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // A row offered just as closing flipped may have landed after the thread's last drain.
    List<T> late = new ArrayList<>();
    queue.drainTo(late);
    write(late);
  }

  private void run() {
    List<T> batch = new ArrayList<>(maxBatch);
    while (!closing) {
      if (!available.getAsBoolean()) {
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MS));
        continue;
      }
      // Rows gather for one linger window without waking this thread: offer() never signals a
      // waiting consumer (a futex wake per request on the event loop), it only fills the queue.
      if (queue.size() < maxBatch) LockSupport.parkNanos(this, lingerNanos);
      // Not interrupted by close() but unparked: an interrupt could abort a batch the sink is writing.
      queue.drainTo(batch, maxBatch);
      write(batch);
    }
    // Closing: nothing new gets in, so draining until empty terminates.
    do {
      queue.drainTo(batch, maxBatch - batch.size());
      write(batch);
    } while (!queue.isEmpty());
  }

  private void write(List<T> batch) {
    if (batch.isEmpty()) return;
    long backoffMs = 100;
    try {
      while (true) {
        try {
          sink.write(batch);
          if (unreachable) {
            unreachable = false;
            LOG.info("request log: the database is back; held rows written");
          }
          return;
        } catch (Exception e) {
          if (!unreachableDatabase(e) || closing) {
            LOG.warn("dropping {} request-log rows: {}", batch.size(), e.toString());
            drops.dropped("write_failed", batch.size());
            return;
          }
          if (!unreachable) {
            unreachable = true;
            LOG.warn("request log: database unreachable ({}); holding rows until it returns", e.toString());
          }
          if (!pause(backoffMs)) continue; // closing: one last attempt
          backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
      }
    } finally {
      batch.clear();
    }
  }

  /** Sleeps up to {@code ms}, waking early when close() begins; false when it did. */
  private boolean pause(long ms) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (!closing && System.nanoTime() < end) {
      try {
        Thread.sleep(Math.min(IDLE_POLL_MS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !closing;
  }

  /**
   * Whether {@code e} says the database could not be reached, rather than that it refused these
   * rows: a transient or recoverable JDBC error (Hikari's "no connection available"), or SQLState
   * class 08 (connection exception) or 57P (the server shutting down or restarting).
   */
  static boolean unreachableDatabase(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // The store's own verdict (its watchdog saw the database go): the rows wait like any others.
      if (t instanceof io.junction.store.StoreUnavailableException) return true;
      if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException) return true;
      if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) return true;
    }
    return false;
  }
}
