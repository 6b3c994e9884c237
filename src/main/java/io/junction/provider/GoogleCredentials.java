package io.junction.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.protocol.Json;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Google service account's OAuth access token (Vertex AI's auth). The account's JSON key — inline
 * or a file path, or the file {@code GOOGLE_APPLICATION_CREDENTIALS} names — signs an RS256 JWT
 * (scope cloud-platform, audience the JSON's {@code token_uri}) that the token URI exchanges for an
 * access token. The token is cached and refreshed {@link #REFRESH_BEFORE} ahead of its expiry; one
 * refresh is shared by every request that needs it; reading the file, signing and the HTTP
 * exchange all run off the event loop (the answer comes back on the caller's Vert.x context).
 */
public final class GoogleCredentials {
  static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  /** Tokens live an hour; a fresh one is fetched when less than this is left. */
  static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final Map<String, GoogleCredentials> BY_SOURCE = new ConcurrentHashMap<>();

  /** A parsed service-account key. */
  record Account(String clientEmail, String privateKeyId, PrivateKey privateKey, String tokenUri, String projectId) {}

  private record Token(String value, long expiresAtMillis) {}

  private final String source;
  private final Clock clock;
  private volatile Account account;
  private volatile Token token;
  /** The refresh in flight, shared by everyone who asks meanwhile; null when none. */
  private CompletableFuture<Token> refreshing;

  GoogleCredentials(String source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /**
   * The credentials for one api_keys entry (inline JSON or a path; null or blank means
   * {@code GOOGLE_APPLICATION_CREDENTIALS}), shared by every provider that names the same source.
   */
  public static GoogleCredentials of(String source) {
    String s = source == null || source.isBlank() ? "" : source.trim();
    return BY_SOURCE.computeIfAbsent(s, k -> new GoogleCredentials(k, Clock.systemUTC()));
  }

  /** The access token, from the cache or a (shared) refresh; completes on the caller's context. */
  public Future<String> accessToken() {
    Token t = token;
    if (t != null && clock.millis() < t.expiresAtMillis - REFRESH_BEFORE.toMillis()) return Future.succeededFuture(t.value);
    CompletableFuture<Token> pending;
    synchronized (this) {
      if (refreshing == null) {
        refreshing = CompletableFuture.supplyAsync(this::account).thenCompose(this::exchange)
            .whenComplete((fresh, err) -> {
              synchronized (this) {
                if (fresh != null) token = fresh;
                refreshing = null;
              }
            });
      }
      pending = refreshing;
    }
    Context ctx = Vertx.currentContext();
    Future<Token> f = ctx == null ? Future.fromCompletionStage(pending) : Future.fromCompletionStage(pending, ctx);
    return f.map(Token::value);
  }

  /** The project the key belongs to (Vertex's default project), read on first use. */
  public Future<String> projectId() {
    Account a = account;
    if (a != null) return Future.succeededFuture(a.projectId());
    Context ctx = Vertx.currentContext();
    CompletableFuture<Account> f = CompletableFuture.supplyAsync(this::account);
    return (ctx == null ? Future.fromCompletionStage(f) : Future.fromCompletionStage(f, ctx)).map(Account::projectId);
  }

  private Account account() {
    Account a = account;
    if (a == null) account = a = parse(read(source));
    return a;
  }

  private CompletableFuture<Token> exchange(Account a) {
    long now = clock.millis() / 1000;
    String jwt = jwt(a, now);
    String form = "grant_type=" + URLEncoder.encode(GRANT_TYPE, StandardCharsets.UTF_8) + "&assertion=" + jwt;
    HttpRequest req = HttpRequest.newBuilder(URI.create(a.tokenUri())).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    long sentAt = clock.millis();
    return HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(resp -> {
      JsonNode body;
      try {
        body = Json.parse(resp.body());
      } catch (IOException e) {
        throw new IllegalStateException("token endpoint " + a.tokenUri() + " answered " + resp.statusCode() + " with no JSON");
      }
      if (resp.statusCode() != 200 || !body.path("access_token").isTextual()) {
        throw new IllegalStateException("token endpoint " + a.tokenUri() + " answered " + resp.statusCode() + ": "
            + body.path("error").asText("") + " " + body.path("error_description").asText(""));
      }
      return new Token(body.get("access_token").asText(), sentAt + body.path("expires_in").asLong(3600) * 1000);
    });
  }

  /** The signed assertion: RS256 over header.claims, both base64url without padding. */
  static String jwt(Account a, long nowSeconds) {
    var header = Json.object().put("alg", "RS256").put("typ", "JWT");
    if (a.privateKeyId() != null) header.put("kid", a.privateKeyId());
    var claims = Json.object().put("iss", a.clientEmail()).put("scope", SCOPE).put("aud", a.tokenUri())
        .put("iat", nowSeconds).put("exp", nowSeconds + 3600);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signingInput = b64.encodeToString(Json.text(header).getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(Json.text(claims).getBytes(StandardCharsets.UTF_8));
    try {
      Signature sig = Signature.getInstance("SHA256withRSA");
      sig.initSign(a.privateKey());
      sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64.encodeToString(sig.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the service-account JWT: " + e.getMessage(), e);
    }
  }

  /** Inline JSON, a path to it, or (blank) the file GOOGLE_APPLICATION_CREDENTIALS names. */
  static String read(String source) {
    if (source.startsWith("{")) return source;
    String path = source.isEmpty() ? System.getenv("GOOGLE_APPLICATION_CREDENTIALS") : source;
    if (path == null || path.isBlank()) {
      throw new IllegalStateException("no service-account key: give one in api_keys (JSON or a path) "
          + "or set GOOGLE_APPLICATION_CREDENTIALS");
    }
    try {
      return Files.readString(Path.of(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the service-account key file " + path, e);
    }
  }

  static Account parse(String json) {
    JsonNode n;
    try {
      n = Json.parse(json);
    } catch (IOException e) {
      throw new IllegalStateException("the service-account key is not JSON");
    }
    if (!"service_account".equals(n.path("type").asText())) {
      throw new IllegalStateException("the credentials are not a service-account key (type: " + n.path("type").asText() + ")");
    }
    for (String f : new String[] {"client_email", "private_key"}) {
      if (!n.path(f).isTextual()) throw new IllegalStateException("the service-account key has no " + f);
    }
    String pem = n.get("private_key").asText()
        .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
    try {
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
      return new Account(n.get("client_email").asText(), n.path("private_key_id").asText(null), key,
          n.path("token_uri").asText("https://oauth2.googleapis.com/token"), n.path("project_id").asText(null));
    } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("the service-account private_key is not a PKCS#8 RSA key");
    }
  }
}
