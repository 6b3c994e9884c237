package io.junction.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user runs it: a real JVM process per test (the test classpath stands in
 * for the jar), its exit codes and one-line failures, and what a stop — clean or {@code kill -9} —
 * leaves in the request log.
 */
class CliProcessTest {
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private static ProcessBuilder junction(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.junction.cli.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // Only what the test gives: no provider keys from the machine running the tests.
    pb.environment().keySet().removeIf(k -> k.endsWith("_API_KEY") || k.startsWith("JUNCTION_") || k.endsWith("_BASE_URL")
        || k.startsWith("AWS_") || k.startsWith("AZURE_"));
    return pb;
  }

  private record Result(int exit, String output) {}

  private static Result run(ProcessBuilder pb) throws Exception {
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  @Test
  void versionPrintsTheVersion() throws Exception {
    Result r = run(junction("version"));
    assertThat(r.exit()).isZero();
    assertThat(r.output()).startsWith("junction ");
  }

  @Test
  void checkConfigPrintsEveryProblemWithItsPath() throws Exception {
    Path cfg = dir.resolve("bad.yaml");
    Files.writeString(cfg, """
        server:
          prot: 1
        providers:
          - name: Bad Name
            type: openai
            dispatch: sometimes
        """);
    Result r = run(junction("check-config", "--config", cfg.toString()));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output()).contains("server.prot").contains("providers[0].name").contains("providers[0].dispatch");
  }

  @Test
  void serveFailsWithOneLineOnBadConfigTakenPortAndUnreachableDatabase() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "server: {port: nope}\n");
    Result r = run(junction("serve", "--config", bad.toString()));
    assertThat(r.exit()).isNotZero();
    assertThat(r.output().strip().lines()).hasSize(1).first().asString().contains("server.port");

    try (ServerSocket taken = new ServerSocket(0)) {
      Path cfg = config("jdbc:sqlite:" + dir.resolve("a.db"));
      r = run(junction("serve", "--config", cfg.toString(), "--port", Integer.toString(taken.getLocalPort())));
      assertThat(r.exit()).isNotZero();
      assertThat(lastLine(r.output())).contains("cannot listen").contains(Integer.toString(taken.getLocalPort()));
    }

    Path unreachable = config("jdbc:postgresql://127.0.0.1:1/nowhere?user=x&password=secret-pw");
    r = run(junction("serve", "--config", unreachable.toString()));
    assertThat(r.exit()).isNotZero();
    assertThat(lastLine(r.output())).startsWith("junction: ").doesNotContain("secret-pw");
  }

  @Test
  void refusesPublicAddressWithoutMasterKey() throws Exception {
    Result r = run(junction("serve", "--config", config("jdbc:sqlite:" + dir.resolve("b.db")).toString(), "--host", "0.0.0.0"));
    assertThat(r.exit()).isNotZero();
    assertThat(lastLine(r.output())).contains("--insecure");
  }

  @Test
  void cleanStopWritesEveryRequestLog() throws Exception {
    Path db = dir.resolve("clean.db");
    Process p = junction("serve", "--config", config("jdbc:sqlite:" + db).toString()).start();
    int port = awaitPort(p);
    int sent = sendEchoRequests(port, 50);
    p.destroy(); // SIGTERM: the shutdown hook flushes the log writer
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(logRows(db)).isEqualTo(sent);
  }

  @Test
  void killMinus9LosesAtMostTheLastFlushWindow() throws Exception {
    Path db = dir.resolve("killed.db");
    Process p = junction("serve", "--config", config("jdbc:sqlite:" + db).toString()).start();
    int port = awaitPort(p);
    int sent = sendEchoRequests(port, 50);
    // The writer flushes at least every 200 ms: after a second, everything sent is on disk.
    Thread.sleep(1000);
    p.destroyForcibly(); // SIGKILL: no hook runs
    p.waitFor(30, TimeUnit.SECONDS);
    assertThat(logRows(db)).isEqualTo(sent);
  }

  /**
   * A newcomer's first screen is Junction's own line: on JDK 24+ the JVM warns (on stderr, once)
   * at the first {@code sun.misc.Unsafe} memory access, so serving requests must not make any.
   */
  @Test
  void serveStartsAndAnswersWithoutJvmWarnings() throws Exception {
    assumeTrue(Runtime.version().feature() >= 24, "the sun.misc.Unsafe warning exists from JDK 24 on; this JVM is "
        + Runtime.version());
    Path output = dir.resolve("quiet.out");
    Process p = junction("serve", "--config", config("jdbc:sqlite:" + dir.resolve("quiet.db")).toString())
        .redirectOutput(output.toFile()).start();
    int port = 0;
    for (int i = 0; i < 600 && port == 0; i++) {
      Matcher m = LISTENING.matcher(Files.readString(output));
      if (m.find()) port = Integer.parseInt(m.group(1));
      else if (!p.isAlive()) throw new AssertionError("serve exited:\n" + Files.readString(output));
      else Thread.sleep(100);
    }
    assertThat(port).as("listening within 60 s; output so far:\n%s", Files.readString(output)).isPositive();
    sendEchoRequests(port, 20);
    p.destroy();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String all = Files.readString(output);
    assertThat(all.lines().findFirst().orElse("")).contains("Junction").contains("listening on");
    assertThat(all).doesNotContain("WARNING");
  }

  private Path config(String storageUrl) throws IOException {
    Path cfg = dir.resolve("junction-" + System.nanoTime() + ".yaml");
    Files.writeString(cfg, "server: {port: 0, shutdown_grace_ms: 2000}\nstorage: {url: \"" + storageUrl + "\"}\n");
    return cfg;
  }

  private static int awaitPort(Process p) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("gateway never said it was listening:\n" + seen);
  }

  private static int sendEchoRequests(int port, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi " + i + "\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    return n;
  }

  private static long logRows(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); ResultSet rs = c.createStatement().executeQuery("select count(*) from request_logs")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String lastLine(String output) {
    List<String> lines = output.strip().lines().toList();
    return lines.get(lines.size() - 1);
  }
}
