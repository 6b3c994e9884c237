package io.junction.cli;

import io.junction.Junction;
import io.junction.config.ConfigLoader;
import io.junction.config.GatewayConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line (CONTRACT §1): {@code serve}, {@code check-config}, {@code version}. */
@Command(name = "junction", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Multi-provider LLM gateway", subcommands = {Main.Serve.class, Main.CheckConfig.class, Main.PrintVersion.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    preferHeapBuffersWithoutUnsafe();
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /**
   * On JDK 25+ Netty leaves {@code sun.misc.Unsafe} off unless the JVM was started with
   * {@code --sun-misc-unsafe-memory-access=allow} (turning it on anyway makes the JVM print four
   * warning lines). Without Unsafe, direct buffers go through bounds-checked ByteBuffer calls, while
   * heap buffers use VarHandle array access, which costs what Unsafe did (bench/README.md,
   * bench/jvm-flags.sh): so prefer heap buffers then, unless the user chose.
   */
  static void preferHeapBuffersWithoutUnsafe() {
    String noUnsafe = System.getProperty("io.netty.noUnsafe");
    boolean nettyUsesUnsafe = noUnsafe != null ? !Boolean.parseBoolean(noUnsafe)
        : "allow".equals(System.getProperty("sun.misc.unsafe.memory.access"));
    if (Runtime.version().feature() >= 25 && !nettyUsesUnsafe && System.getProperty("io.netty.noPreferDirect") == null) {
      System.setProperty("io.netty.noPreferDirect", "true");
    }
  }

  @Override
  public void run() { new CommandLine(this).usage(System.out); }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override public String[] getVersion() { return new String[] {"junction " + version()}; }
  }

  @Command(name = "version", description = "Print the version")
  static final class PrintVersion implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.println("junction " + version());
      return 0;
    }
  }

  /** Loads the config the way every command does; prints problems and returns null on any. */
  static GatewayConfig load(String configPath, boolean all) {
    Map<String, String> env = System.getenv();
    Path path = ConfigLoader.resolvePath(configPath, env, Path.of("").toAbsolutePath());
    ConfigLoader.Result r = ConfigLoader.load(path, env);
    if (r.ok()) return r.config();
    List<String> errors = r.errors();
    if (all) {
      errors.forEach(e -> System.err.println(e));
    } else {
      System.err.println("junction: invalid config: " + errors.get(0)
          + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more; run check-config)" : ""));
    }
    return null;
  }

  @Command(name = "check-config", description = "Validate the configuration; print every problem with its path")
  static final class CheckConfig implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: $JUNCTION_CONFIG, else ./junction.yaml)")
    String config;

    @Override
    public Integer call() {
      GatewayConfig c = load(config, true);
      if (c == null) return 1;
      System.out.println("config ok: " + c.providers().size() + " provider(s), " + c.models().size() + " virtual model(s)");
      return 0;
    }
  }

  @Command(name = "serve", description = "Run the gateway")
  static final class Serve implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("junction");

    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: $JUNCTION_CONFIG, else ./junction.yaml)")
    String config;

    @Option(names = "--host", description = "Address to bind (default 127.0.0.1)")
    String host;

    @Option(names = "--port", description = "Port to listen on (default 8094)")
    Integer port;

    @Option(names = "--insecure", description = "Allow a non-loopback address without a master key")
    boolean insecure;

    @Override
    public Integer call() throws Exception {
      GatewayConfig c = load(config, false);
      if (c == null) return 2;
      GatewayConfig.Server s = c.server();
      c = c.withServer(s.withAddress(host != null ? host : s.host(), port != null ? port : s.port()));
      if (c.masterKey() == null && !insecure && !isLoopback(c.server().host())) {
        System.err.println("junction: refusing to listen on " + c.server().host()
            + " without auth.master_key; set one (JUNCTION_MASTER_KEY) or pass --insecure");
        return 2;
      }
      Junction junction;
      try {
        junction = Junction.create(c);
      } catch (RuntimeException e) {
        System.err.println("junction: " + oneLine(e));
        return 2;
      }
      try {
        junction.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        System.err.println("junction: cannot listen on " + c.server().host() + ":" + c.server().port() + ": " + oneLine(cause));
        junction.stop();
        return 2;
      }
      LOG.info("Junction {} listening on http://{}:{} ({} provider(s): {})", version(), c.server().host(), junction.port(),
          c.providers().size(), String.join(", ", c.providers().stream().map(p -> p.name()).toList()));
      // SIGTERM/SIGINT: readiness off, in-flight calls get the grace period, then everything closes.
      junction.stopOnShutdown();
      new CountDownLatch(1).await();
      return 0;
    }

    private static boolean isLoopback(String host) {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (Exception e) {
        return false;
      }
    }
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
