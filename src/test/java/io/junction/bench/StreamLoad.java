package io.junction.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The concurrency run's load generator (wrk reports no time to first byte): {@code conns} lanes,
 * each a connection asking for {@code rounds} OpenAI streams back to back (HTTP/1.1 keep-alive),
 * the lanes started over {@code rampMs}. A stream counts as completed when it answered 200, carried
 * at least {@code minEvents} SSE events and ended with {@code data: [DONE]}. Time to first byte is
 * from starting the stream (before connecting, for a lane's first one) to the first byte of the
 * body; connect time, within it, is from starting the stream to the connection being established (0
 * on a kept-alive connection). SYNs a full listen queue dropped would show in connect times, lumped
 * at 1, 3, 7, 15, 31 and 63 s (the kernel's SYN retransmission back-off); the second line counts
 * connect times and times to first byte in those windows.
 *
 * <p>One thread, one selector, plain non-blocking sockets and a small HTTP/1.1 response parser
 * (status, headers, chunked or sized body): the load generator must cost much less per stream than
 * what it measures. A Vert.x client on the same core needed 3-5 s to first bytes for 10,000
 * connections at once straight from the mock, no gateway in between.
 *
 * <p>Usage: {@code StreamLoad <url> <key> <conns> <rounds> <rampMs> <minEvents>}; prints one line of
 * {@code key=value} pairs, then one line per kind of failure. With {@code -Dbench.csv=<file>} it
 * also writes one row per stream (start, connect, first byte, end); with {@code -Dbench.warmup=<n>}
 * it first makes n unmeasured runs of one stream per lane, min(conns, 2000) lanes but the last
 * with all {@code conns}, printing a {@code warm-up} line for each, and waits 2 s before the
 * measured run.
 */
public final class StreamLoad {
  private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
      + "\"content\":\"Say hello.\"}],\"max_tokens\":64,\"stream\":true}";
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
  private static final long GIVE_UP_NS = TimeUnit.MINUTES.toNanos(10);

  private final InetSocketAddress address;
  private final byte[] request;
  private final int conns;
  private final int rounds;
  private final long rampNs;
  private final int minEvents;

  private final long[] startNs;
  private final long[] connectNs;
  private final long[] ttfbNs;
  private final long[] totalNs;
  private final Map<String, Integer> failures = new TreeMap<>();
  private final List<Lane> open = new ArrayList<>();
  private int nextSlot;
  private int completed;
  private int finished;
  private int inFlight;
  private int maxInFlight;
  private long firstStart;
  private double wallS;
  private boolean gaveUp;
  private final double cpuAtStart = processCpuS();

  private StreamLoad(InetSocketAddress address, byte[] request, int conns, int rounds, long rampMs, int minEvents) {
    this.address = address;
    this.request = request;
    this.conns = conns;
    this.rounds = rounds;
    this.rampNs = TimeUnit.MILLISECONDS.toNanos(rampMs);
    this.minEvents = minEvents;
    int streams = conns * rounds;
    startNs = new long[streams];
    connectNs = new long[streams];
    ttfbNs = new long[streams];
    totalNs = new long[streams];
    Arrays.fill(connectNs, -1);
    Arrays.fill(ttfbNs, -1);
  }

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    String key = args[1];
    int conns = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    long rampMs = Long.parseLong(args[4]);
    int minEvents = Integer.parseInt(args[5]);
    InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST " + url.getRawPath() + " HTTP/1.1\r\nhost: " + url.getHost() + ":" + url.getPort()
        + "\r\nauthorization: Bearer " + key + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    // Warm-up runs in this JVM first, so that the measured run is not the one compiling this code
    // (nor, through the gateway, the gateway's). The last one is as wide as the measured run: an
    // upstream pool that shares connections (HTTP/2) then has grown to what the measured run needs.
    int warmups = Integer.getInteger("bench.warmup", 0);
    for (int w = 1; w <= warmups; w++) {
      int lanes = w == warmups ? conns : Math.min(conns, 2000);
      StreamLoad warm = new StreamLoad(address, request, lanes, 1, rampMs, minEvents);
      warm.run();
      System.out.print("warm-up " + w + ": ");
      warm.report(false);
    }
    // A pause between the warm-up and the measured run: lets whoever watches (bench/run.sh) take
    // its before-figures, and the gateway close the warm-up's connections.
    if (warmups > 0) Thread.sleep(2000);
    StreamLoad load = new StreamLoad(address, request, conns, rounds, rampMs, minEvents);
    load.run();
    load.report(true);
    String csv = System.getProperty("bench.csv");
    if (csv != null) load.writeCsv(Path.of(csv));
  }

  // ---- the event loop ----

  private void run() throws IOException {
    int streams = conns * rounds;
    try (Selector selector = Selector.open()) {
      ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
      long t00 = System.nanoTime();
      long lastSweep = t00;
      int started = 0;
      while (finished < streams) {
        long now = System.nanoTime();
        while (started < conns && now - t00 >= rampNs * started / conns) {
          Lane lane = new Lane(rounds);
          open.add(lane);
          lane.connect(selector, now);
          started++;
        }
        if (now - lastSweep > TimeUnit.SECONDS.toNanos(1)) {
          lastSweep = now;
          sweep(selector, now);
          if (now - t00 > GIVE_UP_NS) {
            gaveUp = true;
            break;
          }
        }
        long waitMs = 1000;
        if (started < conns) waitMs = Math.max(1, (t00 + rampNs * started / conns - now) / 1_000_000);
        selector.select(Math.min(waitMs, 1000));
        for (SelectionKey k : selector.selectedKeys()) {
          Lane lane = (Lane) k.attachment();
          try {
            if (!k.isValid()) continue;
            if (k.isConnectable()) lane.connected(selector);
            if (k.isValid() && k.isWritable()) lane.write(selector);
            if (k.isValid() && k.isReadable()) lane.read(selector, buf);
          } catch (IOException e) {
            lane.broken(selector, e.getClass().getSimpleName() + ": " + e.getMessage());
          }
        }
        selector.selectedKeys().clear();
      }
      wallS = (System.nanoTime() - t00) / 1e9;
      for (Lane lane : open) lane.close();
    }
  }

  /** Streams past their timeout fail; lanes that are done are dropped. */
  private void sweep(Selector selector, long now) {
    List<Lane> still = new ArrayList<>(open.size());
    for (Lane lane : open) {
      if (lane.slot >= 0 && now - lane.t0 > TIMEOUT_NS) lane.broken(selector, "no answer within 120 s");
      if (lane.left > 0 || lane.slot >= 0) still.add(lane);
    }
    open.clear();
    open.addAll(still);
  }

  /** One connection and the streams it asks for, one at a time. */
  private final class Lane {
    int left;
    SocketChannel channel;
    SelectionKey key;
    int slot = -1;
    long t0;
    ByteBuffer out;
    // the answer being read
    int state;
    final StringBuilder line = new StringBuilder();
    int status;
    long length;
    boolean chunked;
    boolean closeAfter;
    boolean bodySeen;
    int crlfLeft;
    int events;
    byte prev;
    final byte[] tail = new byte[DONE.length];
    long bodyBytes;

    static final int STATUS = 0, HEADERS = 1, CHUNK_SIZE = 2, CHUNK_DATA = 3, CHUNK_CRLF = 4, TRAILERS = 5,
        SIZED = 6, TO_EOF = 7;

    Lane(int streams) { left = streams; }

    /** Starts the lane's next stream on a new connection. */
    void connect(Selector selector, long now) {
      begin(now);
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (channel.connect(address)) {
          connectNs[slot] = System.nanoTime() - t0;
          key = channel.register(selector, SelectionKey.OP_WRITE, this);
        } else {
          key = channel.register(selector, SelectionKey.OP_CONNECT, this);
        }
      } catch (IOException e) {
        broken(selector, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }

    private void begin(long now) {
      slot = nextSlot++;
      left--;
      t0 = now;
      if (slot == 0) firstStart = now;
      startNs[slot] = now;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      out = ByteBuffer.wrap(request);
      state = STATUS;
      line.setLength(0);
      status = 0;
      length = -1;
      chunked = false;
      closeAfter = false;
      bodySeen = false;
      events = 0;
      prev = 0;
      bodyBytes = 0;
    }

    void connected(Selector selector) throws IOException {
      channel.finishConnect();
      connectNs[slot] = System.nanoTime() - t0;
      key.interestOps(SelectionKey.OP_WRITE);
    }

    void write(Selector selector) throws IOException {
      channel.write(out);
      if (!out.hasRemaining()) key.interestOps(SelectionKey.OP_READ);
    }

    void read(Selector selector, ByteBuffer buf) throws IOException {
      SocketChannel ch = channel;
      while (channel == ch) {
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
          if (slot >= 0 && state == TO_EOF) done(selector);
          else if (slot >= 0) broken(selector, bodySeen ? "connection closed mid-answer" : "connection closed before an answer");
          else close();
          return;
        }
        if (n == 0) return;
        buf.flip();
        // An answer that ends here starts the lane's next stream: on this connection, or on a new one
        // (then this loop ends), or none (the lane is closed).
        while (buf.hasRemaining() && slot >= 0 && channel == ch) parse(selector, buf);
        if (slot < 0) return;
      }
    }

    /** Consumes what it can of {@code buf} in the current state. */
    private void parse(Selector selector, ByteBuffer buf) {
      switch (state) {
        case STATUS, HEADERS, CHUNK_SIZE, TRAILERS -> {
          if (!readLine(buf)) return;
          String l = line.toString();
          line.setLength(0);
          switch (state) {
            case STATUS -> {
              String[] parts = l.split(" ", 3);
              status = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
              state = HEADERS;
            }
            case HEADERS -> {
              if (!l.isEmpty()) {
                int colon = l.indexOf(':');
                if (colon > 0) {
                  String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                  String value = l.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                  if (name.equals("content-length")) length = Long.parseLong(value);
                  else if (name.equals("transfer-encoding") && value.contains("chunked")) chunked = true;
                  else if (name.equals("connection") && value.equals("close")) closeAfter = true;
                }
              } else if (chunked) {
                state = CHUNK_SIZE;
              } else if (length >= 0) {
                state = SIZED;
                if (length == 0) done(selector);
              } else {
                state = TO_EOF;
                closeAfter = true;
              }
            }
            case CHUNK_SIZE -> {
              int semi = l.indexOf(';');
              length = Long.parseLong((semi >= 0 ? l.substring(0, semi) : l).trim(), 16);
              state = length == 0 ? TRAILERS : CHUNK_DATA;
            }
            case TRAILERS -> {
              if (l.isEmpty()) done(selector);
            }
            default -> { }
          }
        }
        case CHUNK_DATA, SIZED -> {
          int n = (int) Math.min(length, buf.remaining());
          body(buf, n);
          length -= n;
          if (length == 0) {
            if (state == SIZED) done(selector);
            else {
              state = CHUNK_CRLF;
              crlfLeft = 2;
            }
          }
        }
        case CHUNK_CRLF -> {
          while (crlfLeft > 0 && buf.hasRemaining()) {
            buf.get();
            crlfLeft--;
          }
          if (crlfLeft == 0) state = CHUNK_SIZE;
        }
        case TO_EOF -> body(buf, buf.remaining());
        default -> throw new IllegalStateException();
      }
    }

    /** Appends to {@link #line} up to a line end; true when the line is complete (without CR LF). */
    private boolean readLine(ByteBuffer buf) {
      while (buf.hasRemaining()) {
        byte b = buf.get();
        if (b == '\n') {
          int len = line.length();
          if (len > 0 && line.charAt(len - 1) == '\r') line.setLength(len - 1);
          return true;
        }
        line.append((char) (b & 0xff));
      }
      return false;
    }

    /** Body bytes: the first one is the stream's first byte; SSE events end with a blank line. */
    private void body(ByteBuffer buf, int n) {
      if (n > 0 && !bodySeen) {
        bodySeen = true;
        ttfbNs[slot] = System.nanoTime() - t0;
      }
      for (int i = 0; i < n; i++) {
        byte b = buf.get();
        if (b == '\n' && prev == '\n') events++;
        prev = b;
        tail[(int) (bodyBytes++ % tail.length)] = b;
      }
    }

    private boolean endsWithDone() {
      if (bodyBytes < tail.length) return false;
      for (int i = 0; i < tail.length; i++) {
        if (tail[(int) ((bodyBytes + i) % tail.length)] != DONE[i]) return false;
      }
      return true;
    }

    /** The answer is complete: judge it, then the lane's next stream (same connection if it stays open). */
    private void done(Selector selector) {
      String failure = status != 200 ? "HTTP " + status
          : events < minEvents ? "only " + events + " events"
          : !endsWithDone() ? "no [DONE] at the end" : null;
      boolean keep = !closeAfter && state != TO_EOF;
      finish(failure);
      if (left == 0) {
        close();
      } else if (keep) {
        begin(System.nanoTime());
        connectNs[slot] = 0;
        key.interestOps(SelectionKey.OP_WRITE);
      } else {
        close();
        connect(selector, System.nanoTime());
      }
    }

    /** The stream failed; the lane goes on with a new connection if it has streams left. */
    void broken(Selector selector, String why) {
      if (slot >= 0) finish(why);
      close();
      if (left > 0) connect(selector, System.nanoTime());
    }

    private void finish(String failure) {
      totalNs[slot] = System.nanoTime() - t0;
      slot = -1;
      inFlight--;
      finished++;
      if (failure == null) completed++;
      else failures.merge(failure, 1, Integer::sum);
    }

    void close() {
      if (channel == null) return;
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      channel = null;
    }
  }

  // ---- the report ----

  /** The summary line; {@code full}: then the back-off windows and one line per kind of failure. */
  private void report(boolean full) {
    int streams = ttfbNs.length;
    long[] ttfb = Arrays.stream(ttfbNs).filter(t -> t >= 0).sorted().toArray();
    long[] connect = Arrays.stream(connectNs).filter(t -> t >= 0).sorted().toArray();
    long[] total = totalNs.clone();
    Arrays.sort(total);
    System.out.printf(Locale.ROOT, "streams=%d completed=%d failed=%d unfinished=%d max_in_flight=%d wall_s=%.1f "
            + "ttfb_p50_ms=%.1f ttfb_p99_ms=%.1f ttfb_max_ms=%.1f duration_p50_ms=%.0f duration_p99_ms=%.0f "
            + "connect_p50_ms=%.1f connect_p99_ms=%.1f connect_max_ms=%.1f load_cpu_s=%.1f%n",
        streams, completed, finished - completed, streams - finished, maxInFlight, wallS,
        pct(ttfb, 50), pct(ttfb, 99), pct(ttfb, 100), pct(total, 50), pct(total, 99),
        pct(connect, 50), pct(connect, 99), pct(connect, 100), processCpuS() - cpuAtStart);
    if (!full) return;
    System.out.println("connect_s " + backoffBuckets(connect) + "  ttfb_s " + backoffBuckets(ttfb));
    if (gaveUp) System.out.println("failure: gave up waiting after 10 minutes");
    failures.forEach((f, n) -> System.out.println("failure: " + n + " x " + f));
  }

  /** This process's CPU time so far (the load generator's own share of its core). */
  private static double processCpuS() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : Double.NaN;
  }

  /** One row per stream: start (ms after the first), connect, time to first byte and duration (ms). */
  private void writeCsv(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("start_ms,connect_ms,ttfb_ms,duration_ms\n");
    for (int i = 0; i < startNs.length; i++) {
      sb.append(String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f%n", (startNs[i] - firstStart) / 1e6, connectNs[i] / 1e6,
          ttfbNs[i] / 1e6, totalNs[i] / 1e6));
    }
    Files.writeString(file, sb);
  }

  /**
   * Counts in the windows of the kernel's SYN back-off (retransmissions 1, 3, 7, 15, 31, 63 s after
   * the first SYN): dropped SYNs put connect times in the later windows in lumps.
   */
  private static String backoffBuckets(long[] ns) {
    long[] edges = {1, 3, 7, 15, 31, 63};
    int[] n = new int[edges.length + 1];
    for (long t : ns) {
      int b = 0;
      while (b < edges.length && t >= edges[b] * 1_000_000_000L) b++;
      n[b]++;
    }
    StringBuilder sb = new StringBuilder();
    for (int b = 0; b <= edges.length; b++) {
      sb.append(b == 0 ? "<1" : b == edges.length ? ">=63" : edges[b - 1] + "-" + edges[b]).append(':').append(n[b]);
      if (b < edges.length) sb.append(',');
    }
    return sb.toString();
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) return Double.NaN;
    int idx = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, idx)] / 1e6;
  }
}
