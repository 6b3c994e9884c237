package io.junction.admin;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the console's files from the jar ({@code src/main/resources/ui}) at {@code /ui/}. They
 * are plain ES modules with no build step; their names carry no content hash, so browsers must
 * revalidate each one ({@code no-cache} with Last-Modified: a 304 when unchanged) rather than
 * keep an old copy after an upgrade. The page may load nothing from elsewhere and may not be framed.
 */
final class ConsoleAssets {
  static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private ConsoleAssets() {}

  static void register(Router r) {
    // The router matches "/ui" and "/ui/" alike; only the bare one redirects.
    r.get("/ui").handler(ctx -> {
      if (ctx.request().path().equals("/ui")) ctx.redirect("/ui/");
      else ctx.next();
    });
    StaticHandler files = StaticHandler.create("ui").setCachingEnabled(true).setDirectoryListing(false)
        .setIndexPage("index.html");
    r.route("/ui/*").handler(ctx -> {
      ctx.addHeadersEndHandler(v -> ctx.response().headers()
          .set("cache-control", "no-cache")
          .set("content-security-policy", CSP)
          .set("x-content-type-options", "nosniff")
          .set("referrer-policy", "no-referrer"));
      ctx.next();
    }).handler(files);
  }
}
