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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS credentials for a Bedrock provider configured without keys: the SDKs' default chain, in
 * their order, less the EC2 instance metadata service (which needs a network of its own):
 * <ol>
 *   <li>environment: {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN};
 *   <li>web identity: {@code AWS_WEB_IDENTITY_TOKEN_FILE} + {@code AWS_ROLE_ARN}
 *       ({@code AWS_ROLE_SESSION_NAME}) exchanged at STS {@code AssumeRoleWithWebIdentity}
 *       ({@code AWS_ENDPOINT_URL_STS} / {@code AWS_ENDPOINT_URL} override the endpoint);
 *   <li>shared files: profile {@code AWS_PROFILE} (default {@code default}) of
 *       {@code AWS_SHARED_CREDENTIALS_FILE} (~/.aws/credentials), then of {@code AWS_CONFIG_FILE}
 *       (~/.aws/config, sections {@code [profile name]});
 *   <li>container: {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} (on 169.254.170.2) or
 *       {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}, with {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}
 *       or {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} as the Authorization header.
 * </ol>
 * Temporary credentials are cached and refreshed {@link #REFRESH_BEFORE} before they expire; one
 * refresh is shared by every request waiting for it, and file reads and HTTP run off the event loop.
 */
public final class AwsCredentialChain {
  static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final AwsCredentialChain DEFAULT = new AwsCredentialChain(System.getenv(), Clock.systemUTC());

  private record Cached(AwsSigV4.Credentials credentials, Instant expires, String source) {}

  private final Map<String, String> env;
  private final Clock clock;
  private volatile Cached cached;
  private CompletableFuture<Cached> refreshing;

  AwsCredentialChain(Map<String, String> env, Clock clock) {
    this.env = Map.copyOf(env);
    this.clock = clock;
  }

  /** The chain over this process's environment. */
  public static AwsCredentialChain defaultChain() { return DEFAULT; }

  /** Credentials from the first source in the chain that has them; completes on the caller's context. */
  public Future<AwsSigV4.Credentials> credentials() {
    Cached c = cached;
    if (c != null && (c.expires == null || clock.instant().isBefore(c.expires.minus(REFRESH_BEFORE)))) {
      return Future.succeededFuture(c.credentials);
    }
    CompletableFuture<Cached> pending;
    synchronized (this) {
      if (refreshing == null) {
        refreshing = CompletableFuture.supplyAsync(() -> null).thenCompose(x -> resolve()).whenComplete((fresh, err) -> {
          synchronized (this) {
            if (fresh != null) cached = fresh;
            refreshing = null;
          }
        });
      }
      pending = refreshing;
    }
    Context ctx = Vertx.currentContext();
    return (ctx == null ? Future.fromCompletionStage(pending) : Future.fromCompletionStage(pending, ctx)).map(Cached::credentials);
  }

  /** Which source served the current credentials (for messages and tests), or null before the first. */
  String source() { return cached == null ? null : cached.source; }

  private CompletableFuture<Cached> resolve() {
    if (set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY")) {
      return CompletableFuture.completedFuture(new Cached(new AwsSigV4.Credentials(env.get("AWS_ACCESS_KEY_ID").trim(),
          env.get("AWS_SECRET_ACCESS_KEY").trim(), set("AWS_SESSION_TOKEN") ? env.get("AWS_SESSION_TOKEN").trim() : null),
          null, "environment"));
    }
    if (set("AWS_WEB_IDENTITY_TOKEN_FILE") && set("AWS_ROLE_ARN")) return webIdentity();
    Cached fromFiles = profile();
    if (fromFiles != null) return CompletableFuture.completedFuture(fromFiles);
    if (set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || set("AWS_CONTAINER_CREDENTIALS_FULL_URI")) return container();
    return CompletableFuture.failedFuture(new IllegalStateException("no AWS credentials: none in api_keys, the "
        + "environment, a web identity token, the shared credentials/config files or a container endpoint"));
  }

  // ---- web identity (STS AssumeRoleWithWebIdentity; an unsigned call) ----

  private CompletableFuture<Cached> webIdentity() {
    String token = read(Path.of(env.get("AWS_WEB_IDENTITY_TOKEN_FILE"))).trim();
    String session = set("AWS_ROLE_SESSION_NAME") ? env.get("AWS_ROLE_SESSION_NAME") : "junction-" + clock.millis();
    String endpoint = set("AWS_ENDPOINT_URL_STS") ? env.get("AWS_ENDPOINT_URL_STS")
        : set("AWS_ENDPOINT_URL") ? env.get("AWS_ENDPOINT_URL")
        : set("AWS_REGION") ? "https://sts." + env.get("AWS_REGION") + ".amazonaws.com" : "https://sts.amazonaws.com";
    String form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" + enc(env.get("AWS_ROLE_ARN"))
        + "&RoleSessionName=" + enc(session) + "&WebIdentityToken=" + enc(token);
    HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/"))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    return HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(resp -> {
      if (resp.statusCode() != 200) {
        throw new IllegalStateException("STS AssumeRoleWithWebIdentity answered " + resp.statusCode() + ": "
            + xml(resp.body(), "Message"));
      }
      String body = resp.body();
      return new Cached(new AwsSigV4.Credentials(xml(body, "AccessKeyId"), xml(body, "SecretAccessKey"),
          xml(body, "SessionToken")), Instant.parse(xml(body, "Expiration")), "web identity");
    });
  }

  private static String xml(String body, String element) {
    Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(body);
    if (!m.find()) throw new IllegalStateException("STS answer has no " + element);
    return m.group(1).trim();
  }

  // ---- shared credentials and config files ----

  private Cached profile() {
    String name = set("AWS_PROFILE") ? env.get("AWS_PROFILE").trim() : "default";
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    Path credentials = set("AWS_SHARED_CREDENTIALS_FILE") ? Path.of(env.get("AWS_SHARED_CREDENTIALS_FILE"))
        : Path.of(home, ".aws", "credentials");
    Path config = set("AWS_CONFIG_FILE") ? Path.of(env.get("AWS_CONFIG_FILE")) : Path.of(home, ".aws", "config");
    for (Path file : new Path[] {credentials, config}) {
      if (!Files.isRegularFile(file)) continue;
      String section = file.equals(config) && !name.equals("default") ? "profile " + name : name;
      Map<String, String> p = ini(read(file)).get(section);
      if (p != null && p.containsKey("aws_access_key_id") && p.containsKey("aws_secret_access_key")) {
        return new Cached(new AwsSigV4.Credentials(p.get("aws_access_key_id"), p.get("aws_secret_access_key"),
            p.get("aws_session_token")), null, "profile " + name + " in " + file);
      }
    }
    return null;
  }

  /** Sections of an AWS ini file: {@code [name]} then {@code key = value} lines; # and ; start comments. */
  static Map<String, Map<String, String>> ini(String text) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    for (String raw : text.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
      if (line.startsWith("[") && line.endsWith("]")) {
        current = sections.computeIfAbsent(line.substring(1, line.length() - 1).strip(), k -> new LinkedHashMap<>());
      } else if (current != null && line.indexOf('=') > 0) {
        current.put(line.substring(0, line.indexOf('=')).strip().toLowerCase(java.util.Locale.ROOT),
            line.substring(line.indexOf('=') + 1).strip());
      }
    }
    return sections;
  }

  // ---- container endpoint (ECS task role, EKS Pod Identity) ----

  private CompletableFuture<Cached> container() {
    String url = set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        ? "http://169.254.170.2" + env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        : env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET();
    if (set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      req.header("authorization", read(Path.of(env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"))).trim());
    } else if (set("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
      req.header("authorization", env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN").trim());
    }
    return HTTP.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString()).thenApply(resp -> {
      JsonNode n;
      try {
        n = Json.parse(resp.body());
      } catch (IOException e) {
        throw new IllegalStateException("container credentials endpoint answered " + resp.statusCode() + " with no JSON");
      }
      if (resp.statusCode() != 200 || !n.path("AccessKeyId").isTextual()) {
        throw new IllegalStateException("container credentials endpoint answered " + resp.statusCode() + ": "
            + n.path("message").asText(n.path("Message").asText("")));
      }
      return new Cached(new AwsSigV4.Credentials(n.get("AccessKeyId").asText(), n.path("SecretAccessKey").asText(),
          n.path("Token").asText(null)), n.hasNonNull("Expiration") ? Instant.parse(n.get("Expiration").asText()) : null,
          "container");
    });
  }

  private boolean set(String var) {
    String v = env.get(var);
    return v != null && !v.isBlank();
  }

  private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
