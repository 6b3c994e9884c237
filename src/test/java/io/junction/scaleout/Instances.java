package io.junction.scaleout;

import io.junction.testing.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gateway processes for scale-out tests: each a JVM of its own running {@code junction serve} on
 * a free port (the test classpath stands in for the jar), all on one config. Plus the PostgreSQL
 * database they share, created for the test and dropped after it.
 */
final class Instances implements AutoCloseable {
  static final String MASTER = "jk-scaleout-master";
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  final List<Process> processes = new ArrayList<>();
  final List<Integer> ports = new ArrayList<>();
  final List<Path> logs = new ArrayList<>();

  /** A fresh database on the PostgreSQL of JUNCTION_TEST_PG_URL; returns its JDBC URL (skips the test without one). */
  static String createDatabase(String[] name) throws Exception {
    String base = TestDatabases.postgresBaseUrl();
    name[0] = "junction_scaleout_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name[0]);
    }
    return base.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name[0]);
  }

  static void dropDatabase(String name) throws Exception {
    if (name == null) return;
    try (Connection c = DriverManager.getConnection(TestDatabases.postgresBaseUrl()); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  /** Starts {@code n} gateways on {@code config} and waits until each listens. */
  static Instances start(int n, Path dir, String config) throws Exception {
    Path cfg = dir.resolve("junction.yaml");
    Files.writeString(cfg, config);
    Instances all = new Instances();
    try {
      for (int i = 0; i < n; i++) {
        Path log = dir.resolve("instance-" + i + ".log");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            "io.junction.cli.Main", "serve", "--config", cfg.toString(), "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.startsWith("JUNCTION_") || k.endsWith("_BASE_URL")
            || k.startsWith("AWS_") || k.startsWith("AZURE_"));
        all.processes.add(pb.start());
        all.logs.add(log);
      }
      for (int i = 0; i < n; i++) all.ports.add(awaitPort(all.processes.get(i), all.logs.get(i)));
      return all;
    } catch (Exception | AssertionError e) {
      all.close();
      throw e;
    }
  }

  private static int awaitPort(Process p, Path log) throws Exception {
    // A bound, not a speed check: cold JVMs on a loaded 2-core machine have taken over a minute to listen.
    for (int i = 0; i < 4800; i++) {
      Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (m.find()) return Integer.parseInt(m.group(1));
      if (!p.isAlive()) throw new AssertionError("gateway exited: " + Files.readString(log));
      Thread.sleep(50);
    }
    throw new AssertionError("gateway did not start: " + Files.readString(log));
  }

  int size() { return ports.size(); }

  String url(int i) { return "http://127.0.0.1:" + ports.get(i); }

  HttpRequest.Builder request(int instance, String method, String path, String key, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(instance) + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("authorization", "Bearer " + key);
    if (body != null) b.header("content-type", "application/json");
    return b;
  }

  HttpResponse<String> call(int instance, String method, String path, String key, String body) {
    try {
      return HTTP.send(request(instance, method, path, key, body).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " on instance " + instance + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String chatBody(String model) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  CompletableFuture<HttpResponse<String>> chatAsync(int instance, String key, String requestId) {
    HttpRequest.Builder b = request(instance, "POST", "/v1/chat/completions", key, chatBody("gpt-4o"));
    if (requestId != null) b.header("x-request-id", requestId);
    return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String output(int i) throws IOException { return Files.readString(logs.get(i)); }

  /** Stops every gateway with SIGTERM (a clean stop writes their queued rows), then kills what is left. */
  @Override
  public void close() throws Exception {
    for (Process p : processes) p.destroy();
    for (Process p : processes) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
