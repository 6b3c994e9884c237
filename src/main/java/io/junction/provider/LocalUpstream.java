package io.junction.provider;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * An upstream answered in-process, without HTTP (the built-in echo provider). Its calls carry a
 * {@code local://} URL; it answers with the bytes its wire protocol's server would send, which
 * then take the normal path: relayed, or translated for clients of other protocols.
 */
public interface LocalUpstream {

  /** The answer to {@code call}: the status and the body's chunks. */
  Answer answer(UpstreamCall call);

  record Answer(int status, String contentType, List<Buffer> chunks) {}

  /** Delivers an answer chunk by chunk on {@code context}, honouring pause/resume like a socket would. */
  static UpstreamResponse respond(Context context, Answer answer) {
    return new UpstreamResponse() {
      private Handler<Buffer> handler;
      private Handler<Void> end;
      private boolean paused;
      private boolean scheduled;
      private int next;

      @Override public int statusCode() { return answer.status(); }

      @Override public String getHeader(String name) {
        return "content-type".equalsIgnoreCase(name) ? answer.contentType() : null;
      }

      @Override public UpstreamResponse handler(Handler<Buffer> h) { handler = h; schedule(); return this; }

      @Override public UpstreamResponse endHandler(Handler<Void> h) { end = h; schedule(); return this; }

      @Override public UpstreamResponse exceptionHandler(Handler<Throwable> h) { return this; }

      @Override public UpstreamResponse pause() { paused = true; return this; }

      @Override public UpstreamResponse resume() { paused = false; schedule(); return this; }

      private void schedule() {
        if (scheduled || handler == null || end == null) return;
        scheduled = true;
        context.runOnContext(v -> {
          scheduled = false;
          while (!paused && next < answer.chunks().size()) handler.handle(answer.chunks().get(next++));
          if (!paused && next == answer.chunks().size()) {
            next++;
            end.handle(null);
          }
        });
      }
    };
  }
}
