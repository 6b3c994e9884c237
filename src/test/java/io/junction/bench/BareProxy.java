package io.junction.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The framework's floor for the benchmark: a pass-through HTTP/1.1 proxy on the same Vert.x
 * server and client Junction uses, one event loop, and nothing else — no routing, no parsing, no
 * telemetry, no log. Body in, body out. What Junction costs above this row is Junction's own; what
 * this row costs above nginx is the stack's (JVM, Netty NIO, Vert.x HTTP). A floor for JSON only:
 * it writes each upstream chunk as the client parses it, one write each, where Junction coalesces
 * the chunks of one read, so its stream figures are not comparable.
 *
 * <p>Usage: {@code BareProxy <port> <upstream port>}; prints {@code listening <port>}.
 */
public final class BareProxy {
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int upstream = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1024));
    vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1"))
        .requestHandler(req -> relay(client, upstream, req))
        .listen()
        .onSuccess(s -> System.out.println("listening " + s.actualPort()))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  private static void relay(HttpClient client, int upstream, HttpServerRequest req) {
    req.body().compose(body -> client.request(new RequestOptions().setMethod(req.method()).setHost("127.0.0.1")
            .setPort(upstream).setURI(req.uri()).setHeaders(req.headers().remove("host").remove("connection")))
        .compose(up -> up.send(body)))
        .onSuccess(resp -> {
          var out = req.response().setStatusCode(resp.statusCode());
          out.headers().addAll(resp.headers()).remove("content-length").remove("transfer-encoding").remove("connection");
          String length = resp.getHeader("content-length");
          if (length != null) out.putHeader("content-length", length);
          else out.setChunked(true);
          resp.pipeTo(out); // with backpressure, as a relay must
        })
        .onFailure(e -> req.response().setStatusCode(502).end());
  }
}
