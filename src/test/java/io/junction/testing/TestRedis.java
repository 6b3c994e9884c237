package io.junction.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Redis for tests: the shared one of JUNCTION_TEST_REDIS_URL, or a {@code redis-server} of the
 * test's own on a free port, which the test may stop and start again (an outage it owns).
 */
public final class TestRedis implements AutoCloseable {
  public static final String ENV = "JUNCTION_TEST_REDIS_URL";

  private final int port;
  private final Path dir;
  private Process process;

  private TestRedis(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** The shared Redis's URL on database {@code db} (so runs of other suites don't see these keys), or skips the test. */
  public static String sharedUrl(int db) {
    String url = System.getenv(ENV);
    Assumptions.assumeTrue(url != null && !url.isBlank(), ENV + " is not set (e.g. redis://127.0.0.1:6379): Redis tests skipped");
    return url.replaceAll("/\\d+$", "") + "/" + db;
  }

  /** Starts a redis-server of the test's own, or skips the test when none is installed. */
  public static TestRedis start(Path dir) throws Exception {
    Assumptions.assumeTrue(onPath("redis-server"), "redis-server is not installed: Redis outage tests skipped");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TestRedis r = new TestRedis(port, dir);
    r.up();
    return r;
  }

  public String url() { return "redis://127.0.0.1:" + port; }

  public int port() { return port; }

  /** Starts the server (again) on its port and waits until it accepts connections. */
  public void up() throws Exception {
    process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
    for (int i = 0; i < 200; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }

  /** Kills the server outright, as a crash would (its data is gone: nothing is saved). */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) kill();
  }

  private static boolean onPath(String binary) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, binary))) return true;
    }
    return false;
  }
}
