package io.junction.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client connections, bounded (CONTRACT §2 {@code server.*}): at most {@code maxConnections} open
 * (one more is closed as it is accepted); a connection with no request in flight is closed after
 * {@code idleTimeoutMs}; a request must have its head and body in within {@code headerTimeoutMs}
 * of its first byte (slowloris). Streams and calls in flight have no timeout here — the
 * provider's timeouts bound them.
 *
 * <p>"First byte" is seen by a handler at the head of the connection's Netty pipeline (Vert.x
 * reports a request only once its head is parsed). Each connection's state lives on its own
 * event loop, so it needs no locking.
 */
final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  private final long idleTimeoutMs;
  private final long headerTimeoutMs;
  private final int maxConnections;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<HttpConnection, Conn> conns = new ConcurrentHashMap<>();
  private volatile long lastRefusalLog;

  ConnectionGuard(long idleTimeoutMs, long headerTimeoutMs, int maxConnections) {
    this.idleTimeoutMs = idleTimeoutMs;
    this.headerTimeoutMs = headerTimeoutMs;
    this.maxConnections = maxConnections;
  }

  int open() { return open.get(); }

  /** The server's connection handler. */
  void accept(HttpConnection connection) {
    Channel channel = channelOf(connection);
    if (open.incrementAndGet() > maxConnections || channel == null) {
      open.decrementAndGet();
      long now = System.currentTimeMillis();
      if (now - lastRefusalLog > 10_000) {
        lastRefusalLog = now;
        LOG.warn("refusing client connections: server.max_connections ({}) are open", maxConnections);
      }
      if (channel != null) channel.close();
      else connection.close();
      return;
    }
    Conn c = new Conn(channel);
    conns.put(connection, c);
    channel.closeFuture().addListener(f -> {
      open.decrementAndGet();
      conns.remove(connection);
      c.cancelTimer();
    });
    channel.pipeline().addFirst("junction-first-byte", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        c.bytesIn();
        ctx.fireChannelRead(msg);
      }
    });
    channel.eventLoop().execute(c::becameIdle);
  }

  /** First route handler: the request's head is in; its body is still to come. */
  void requestStarted(RoutingContext ctx) {
    Conn c = conns.get(ctx.request().connection());
    if (c != null) {
      c.requestStarted();
      ctx.addEndHandler(ar -> c.requestEnded());
    }
    ctx.next();
  }

  /** Route handler after the body handler: the whole request is in. */
  void bodyRead(RoutingContext ctx) {
    Conn c = conns.get(ctx.request().connection());
    if (c != null) c.bodyRead();
    ctx.next();
  }

  private static Channel channelOf(HttpConnection connection) {
    // Vert.x's HTTP connections are ConnectionBase (internal API): the Netty channel is needed to see raw bytes.
    return connection instanceof io.vertx.core.net.impl.ConnectionBase base ? base.channel() : null;
  }

  /** One connection's state; touched only on its event loop. */
  private final class Conn {
    final Channel channel;
    int inFlight;
    /** A request's head or body is arriving (from its first byte until its body is complete). */
    boolean reading;
    ScheduledFuture<?> timer;

    Conn(Channel channel) { this.channel = channel; }

    void bytesIn() {
      if (inFlight == 0 && !reading) {
        reading = true;
        arm(headerTimeoutMs, "header_timeout_ms");
      }
    }

    void requestStarted() {
      inFlight++;
      if (!reading) {
        reading = true;
        arm(headerTimeoutMs, "header_timeout_ms");
      }
    }

    void bodyRead() {
      reading = false;
      cancelTimer();
    }

    void requestEnded() {
      if (inFlight > 0) inFlight--;
      if (inFlight == 0) {
        reading = false;
        becameIdle();
      }
    }

    void becameIdle() {
      if (inFlight == 0 && !reading) arm(idleTimeoutMs, "idle_timeout_ms");
    }

    void arm(long ms, String why) {
      cancelTimer();
      if (ms <= 0) return;
      timer = channel.eventLoop().schedule(() -> {
        LOG.debug("closing client connection {}: server.{} passed", channel.remoteAddress(), why);
        channel.close();
      }, ms, TimeUnit.MILLISECONDS);
    }

    void cancelTimer() {
      if (timer != null) timer.cancel(false);
      timer = null;
    }
  }
}
