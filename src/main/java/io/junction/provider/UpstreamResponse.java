package io.junction.provider;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * An upstream's answer as the relay reads it: status, headers and a pausable stream of body
 * chunks. Over HTTP it is the Vert.x client response; an in-process upstream ({@link LocalUpstream})
 * answers with one of its own, so that both take the same path through the pipeline.
 */
public interface UpstreamResponse {
  int statusCode();

  String getHeader(String name);

  UpstreamResponse handler(Handler<Buffer> handler);

  UpstreamResponse endHandler(Handler<Void> handler);

  UpstreamResponse exceptionHandler(Handler<Throwable> handler);

  UpstreamResponse pause();

  UpstreamResponse resume();

  static UpstreamResponse of(io.vertx.core.http.HttpClientResponse r) {
    return new UpstreamResponse() {
      @Override public int statusCode() { return r.statusCode(); }
      @Override public String getHeader(String name) { return r.getHeader(name); }
      @Override public UpstreamResponse handler(Handler<Buffer> h) { r.handler(h); return this; }
      @Override public UpstreamResponse endHandler(Handler<Void> h) { r.endHandler(h); return this; }
      @Override public UpstreamResponse exceptionHandler(Handler<Throwable> h) { r.exceptionHandler(h); return this; }
      @Override public UpstreamResponse pause() { r.pause(); return this; }
      @Override public UpstreamResponse resume() { r.resume(); return this; }
    };
  }
}
