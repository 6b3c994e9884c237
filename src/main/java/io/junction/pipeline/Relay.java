package io.junction.pipeline;

import io.junction.protocol.ChatResponse;
import io.junction.protocol.GatewayException;
import io.junction.protocol.StreamDecoder;
import io.junction.protocol.StreamEncoder;
import io.junction.protocol.StreamEvent;
import io.junction.protocol.StreamTap;
import io.junction.protocol.UpstreamCodec;
import io.junction.provider.Provider;
import io.junction.provider.UpstreamResponse;
import io.junction.routing.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Carries one successful upstream answer to the client: a whole JSON body, or a stream with
 * backpressure. A same-protocol answer is relayed as it came (its usage read on the way by the
 * codec's reader or tap); any other is decoded into canonical events and encoded in the client's
 * protocol. Either way provider keys the upstream quotes are scrubbed.
 *
 * <p>The future fails with {@link NotDelivered} when nothing reached the client yet (the attempt
 * may be retried); once bytes went out it completes, with an error outcome if the stream broke.
 */
final class Relay {
  private final Gateway gw;
  private final Call call;
  private final Exchange exchange;
  private final UpstreamResponse upstream;
  private final Provider provider;
  private final boolean relayed;
  private final UpstreamCodec codec;

  Relay(Gateway gw, Call call, Exchange exchange, UpstreamResponse upstream, Provider provider, boolean relayed) {
    this.gw = gw;
    this.call = call;
    this.exchange = exchange;
    this.upstream = upstream;
    this.provider = provider;
    this.relayed = relayed;
    this.codec = relayed ? provider.adapter.codec(call.inbound.protocol()) : provider.adapter.codec();
  }

  /** The attempt failed before the client saw anything; the loop may try again. */
  static final class NotDelivered extends RuntimeException {
    final Failure failure;

    NotDelivered(Failure failure) {
      super(failure.error().getMessage(), null, false, false);
      this.failure = failure;
    }

    static NotDelivered badAnswer(String message) {
      return new NotDelivered(new Failure(GatewayException.badGateway(message), 0, Failure.Kind.BAD_ANSWER, 0));
    }
  }

  // ---- JSON ----

  Future<Outcome> json() {
    return exchange.body(upstream).compose(body -> {
      Buffer out;
      try {
        if (relayed || call.operation == Call.Operation.EMBEDDINGS) {
          // Relayed as-is, but read first: garbage with a 200 must not reach the client as success.
          call.usage = codec.usageOf(body);
          out = provider.keys.secrets().scrub(body);
          if (call.operation == Call.Operation.CHAT) call.inbound.relayed(out);
        } else {
          ChatResponse cr = codec.decodeResponse(body);
          call.usage = cr.usage;
          out = provider.keys.secrets().scrub(call.inbound.encodeResponse(cr, call.decoded()));
        }
      } catch (GatewayException e) {
        return Future.failedFuture(new NotDelivered(new Failure(e, 0, Failure.Kind.BAD_ANSWER, 0)));
      }
      call.completeSeen = true;
      return call.runBeforeEnd().map(v -> {
        call.startResponse("application/json", false);
        call.recordLast(out, "application/json", false);
        call.response().end(out);
        return Outcome.OK;
      });
    });
  }

  // ---- streams ----

  Future<Outcome> stream() {
    return new StreamRelay().start();
  }

  /** The client side of one relayed stream: what the upstream's chunks produced, written with backpressure. */
  private final class StreamRelay {
    private final Promise<Outcome> result = Promise.promise();
    private final HttpServerResponse response = call.response();
    private final StreamTap tap;
    private final StreamDecoder decoder;
    private StreamEncoder encoder;
    private Buffer pending = Buffer.buffer();
    /** The answer's last events (the encoder's end), held back until the before-end steps ran. */
    private final Buffer last = Buffer.buffer();
    private boolean flushQueued;
    private boolean paused;
    private boolean over;

    StreamRelay() {
      boolean passthrough = relayed && call.passthroughAllowed;
      tap = passthrough ? call.inbound.relayTap(codec.passthroughTap(call.head.includeUsage())) : null;
      decoder = passthrough ? null : codec.streamDecoder();
      if (!passthrough) encoder = call.inbound.streamEncoder(call.decoded());
    }

    Future<Outcome> start() {
      upstream.handler(chunk -> {
        if (over) return;
        exchange.touch();
        call.upstreamChunks++;
        if (tap != null) {
          write(tap.relay(chunk));
          call.usage = call.usage.merge(tap.usage());
          if (tap.error() != null) {
            broken(tap.error());
            return;
          }
          if (tap.complete()) call.completeSeen = true; // a client may leave at the end marker, before the upstream closes
        } else {
          decoder.feed(chunk, this::onEvent);
        }
        flushSoon();
      });
      upstream.exceptionHandler(err -> broken(exchange.failure(err).error().getMessage()));
      upstream.endHandler(v -> {
        if (over) return;
        if (tap != null) {
          write(tap.finish());
          call.usage = call.usage.merge(tap.usage());
          if (!tap.complete()) {
            broken(tap.error() != null ? tap.error() : "Upstream stream ended before it was complete");
            return;
          }
        } else {
          decoder.finish(this::onEvent);
          if (over) return;
        }
        end();
      });
      return result.future();
    }

    private void onEvent(StreamEvent e) {
      if (over) return;
      switch (e) {
        case StreamEvent.Error err -> {
          broken(err.message());
          return;
        }
        case StreamEvent.UsageReport u -> call.usage = call.usage.merge(u.usage());
        case StreamEvent.Start s -> call.usage = call.usage.merge(s.usage());
        case StreamEvent.End end -> {
          call.completeSeen = true;
          encoder.encode(e, last); // held back: sent after the before-end steps (the stored response)
          return;
        }
        default -> { }
      }
      encoder.encode(e, pending);
    }

    private void write(Buffer b) { if (b.length() > 0) pending.appendBuffer(b); }

    /**
     * Flushes once the event loop is done with the current socket read, not per chunk: a burst of
     * upstream chunks (one read) then leaves in one write instead of one syscall each.
     */
    private void flushSoon() {
      if (flushQueued || over || pending.length() == 0) return;
      flushQueued = true;
      gw.vertx().runOnContext(v -> {
        flushQueued = false;
        flush();
      });
    }

    /**
     * Sends what is pending, unless the client's write queue is full: then the upstream is paused
     * and the pending bytes wait for the drain. A client that stops reading thus holds the
     * gateway's queue plus what was in flight when the upstream paused, not a growing backlog.
     */
    private void flush() {
      if (over || pending.length() == 0 || call.clientGone) return;
      if (!call.responseStarted) call.startResponse(call.inbound.streamContentType(null), true);
      if (response.writeQueueFull()) {
        if (!paused) {
          paused = true;
          upstream.pause();
          response.drainHandler(v -> {
            paused = false;
            flush();
            if (!over) upstream.resume();
          });
        }
        return;
      }
      Buffer out = provider.keys.secrets().scrub(pending);
      call.record(out);
      response.write(out);
      pending = Buffer.buffer();
    }

    private void end() {
      over = true;
      call.completeSeen = true;
      call.runBeforeEnd().onComplete(ar -> {
        if (call.clientGone) {
          result.tryComplete(Outcome.OK);
          return;
        }
        String contentType = call.inbound.streamContentType(null);
        if (!call.responseStarted) call.startResponse(contentType, true);
        pending.appendBuffer(last);
        Buffer out = provider.keys.secrets().scrub(pending);
        call.recordLast(out, contentType, true);
        response.end(out); // the last events and the closing chunk in one write
        result.tryComplete(Outcome.OK);
      });
    }

    /** The stream broke: retry if the client has seen nothing yet, else end it visibly incomplete. */
    private void broken(String message) {
      if (over) return;
      over = true;
      exchange.cancel();
      if (!call.responseStarted) {
        result.tryFail(NotDelivered.badAnswer(message));
        return;
      }
      GatewayException e = GatewayException.badGateway(message);
      Buffer tail = pending;
      Buffer failureEvent = tap == null ? null : tap.failureEvent(message);
      try {
        if (failureEvent != null) tail.appendBuffer(failureEvent);
        else {
          if (encoder == null) encoder = call.inbound.streamEncoder(call.decoded());
          encoder.fail(e, tail);
        }
      } catch (GatewayException undecodable) {
        // A relayed request the gateway cannot decode: the client sees the stream cut without its end marker.
      }
      if (!call.clientGone) {
        response.write(tail);
        response.end();
      }
      result.tryComplete(new Outcome(502, message));
    }
  }
}
