package io.junction.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The skeleton of the taps for SSE protocols: frames with {@link SseFramer}, hands each event with
 * data to the protocol until the stream has ended (its terminal marker or an error), and keeps
 * usage, completion and error. A protocol reads only the events it needs, with Jackson's streaming
 * parser, and no canonical events are built.
 *
 * <p>Bytes go out as they came. By default each chunk is returned as it is; a tap that may drop
 * events ({@code wholeEvents}) forwards whole events only, still without copying when nothing was
 * dropped and the chunk ends on an event boundary.
 */
public abstract class SseTap implements StreamTap {

  private final SseFramer framer = new SseFramer(this::onBlock);
  private final boolean wholeEvents;
  private final String incomplete;
  private Usage usage = Usage.ZERO;
  private String error;
  private boolean complete;
  private boolean ended;

  // wholeEvents only: the bytes not yet forwarded (an unfinished event) and dropped ranges of this chunk
  private Buffer carry;
  private boolean carryOwned;
  private long carryStart;
  private long chunkStart;
  private Buffer chunk;
  private final List<long[]> dropped = new ArrayList<>(1);
  private boolean lastCr;
  private boolean lastDropped;
  /** In {@link #finish()}: the event delivered now is the stream's unterminated tail. */
  private boolean closing;

  /**
   * @param wholeEvents whether {@link #onEvent} may drop events (then only whole events are forwarded)
   * @param incomplete the error when the stream closes before it ended
   */
  protected SseTap(boolean wholeEvents, String incomplete) {
    this.wholeEvents = wholeEvents;
    this.incomplete = incomplete;
  }

  /**
   * One event with data, before the stream ended. Returns whether to forward it (only taps made
   * with {@code wholeEvents} may return false).
   */
  protected abstract boolean onEvent(SseFramer.Event event);

  /** The upstream closed without the terminal marker: by default an incomplete stream. */
  protected void closed() { fail(incomplete); }

  protected final void end() {
    ended = true;
    complete = true;
  }

  protected final void fail(String message) {
    ended = true;
    error = message;
  }

  /**
   * Whether the event is the stream's tail, cut off before its blank line: it is read in full
   * (a partial chunk is invalid JSON, as the decoder finds), whatever a tap would skip otherwise.
   */
  protected final boolean closing() { return closing; }

  protected final void addUsage(Usage u) { usage = usage.merge(u); }

  protected final void setUsage(Usage u) { usage = u; }

  @Override public final boolean complete() { return complete && error == null; }

  @Override public final Usage usage() { return usage; }

  @Override public final String error() { return error; }

  @Override
  public final Buffer relay(Buffer chunk) {
    if (!wholeEvents) {
      framer.feed(chunk);
      framingError();
      return chunk;
    }
    this.chunk = chunk;
    dropped.clear();
    framer.feed(chunk);
    framingError();
    long chunkEnd = chunkStart + chunk.length();
    long done = framer.delivered();
    Buffer out;
    if (carry == null && dropped.isEmpty() && done == chunkEnd) {
      out = chunk; // the usual case: whole events, nothing dropped
    } else {
      out = forward(done);
      keepRest(done, chunkEnd);
    }
    chunkStart = chunkEnd;
    this.chunk = null;
    return out;
  }

  @Override
  public final Buffer finish() {
    closing = true;
    Buffer out = Buffer.buffer();
    if (wholeEvents) {
      chunk = Buffer.buffer();
      dropped.clear();
      framer.finish();
      out = framer.error() != null ? Buffer.buffer() : forward(chunkStart);
      carry = null;
    } else {
      framer.finish();
    }
    framingError();
    if (!ended) closed();
    return out;
  }

  private void framingError() {
    if (!ended && framer.error() != null) fail(framer.error());
  }

  private void onBlock(SseFramer.Event e) {
    // A CRLF split by a chunk boundary leaves its LF at the start of the next block: it goes
    // with the block its CR ended, dropped or kept, so the output does not depend on the chunking.
    boolean leadingLf = lastCr && e.startsWithLf();
    if (leadingLf && lastDropped) dropped.add(new long[] {e.start(), e.start() + 1});
    lastCr = e.endsWithCr();
    lastDropped = false;
    if (ended || !e.hasData()) return;
    if (!onEvent(e) && wholeEvents) {
      dropped.add(new long[] {leadingLf ? e.start() + 1 : e.start(), e.end()});
      lastDropped = true;
    }
  }

  /** Stream bytes [carryStart, done) without the dropped ranges. */
  private Buffer forward(long done) {
    long from = carry != null ? carryStart : chunkStart;
    if (dropped.isEmpty()) return range(from, done);
    Buffer out = Buffer.buffer((int) (done - from));
    for (long[] d : dropped) {
      out.appendBuffer(range(from, d[0]));
      from = d[1];
    }
    return out.appendBuffer(range(from, done));
  }

  /** Stream bytes [from, to), all still in the carry or the current chunk. */
  private Buffer range(long from, long to) {
    if (from >= to) return Buffer.buffer();
    if (from >= chunkStart) return chunk.slice((int) (from - chunkStart), (int) (to - chunkStart));
    if (to <= chunkStart) return carry.slice((int) (from - carryStart), (int) (to - carryStart));
    return Buffer.buffer((int) (to - from)).appendBuffer(carry, (int) (from - carryStart), (int) (chunkStart - from))
        .appendBuffer(chunk, 0, (int) (to - chunkStart));
  }

  /** Keeps the bytes after {@code done} (an unfinished event) for the next chunk. */
  private void keepRest(long done, long chunkEnd) {
    if (framer.error() != null || done == chunkEnd) {
      carry = null;
    } else if (done >= chunkStart) {
      carry = chunk.slice((int) (done - chunkStart), chunk.length());
      carryOwned = false;
      carryStart = done;
    } else {
      // The unfinished event began in an earlier chunk: grow one buffer of our own (amortized).
      if (!carryOwned) {
        Buffer own = Buffer.buffer(2 * (carry.length() + chunk.length()));
        own.appendBuffer(carry, (int) (done - carryStart), carry.length() - (int) (done - carryStart));
        carry = own;
        carryStart = done;
        carryOwned = true;
      }
      carry.appendBuffer(chunk);
    }
  }

  // ---- the streaming reads the protocols share (see JsonScan)

  protected static String scalarText(JsonParser p, JsonToken t) throws IOException { return JsonScan.scalarText(p, t); }

  protected static JsonNode tree(JsonParser p) throws IOException { return JsonScan.tree(p); }

  protected static void requireEnd(JsonParser p) throws IOException { JsonScan.requireEnd(p); }
}
