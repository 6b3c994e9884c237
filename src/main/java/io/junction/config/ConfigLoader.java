package io.junction.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.junction.config.EnvironmentProviders.EnvProvider;
import io.junction.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads and validates the configuration (CONTRACT §2): the YAML file, {@code ${VAR}} substitution,
 * environment-only providers merged with the file's (the file wins field by field), the
 * {@code JUNCTION_*} overrides and the built-in echo provider when nothing else is configured.
 *
 * <p>Nothing throws for a bad configuration: every problem comes back in {@link Result#errors()},
 * each prefixed with its path ({@code providers[1].dispatch: ...}) or the environment variable
 * ({@code JUNCTION_PORT: ...}). An unset {@code ${VAR}} without default is a problem, except in the
 * optional values {@code auth.master_key}, {@code redis.url} and {@code upstream_proxy}, which it
 * leaves unset; write {@code ${VAR:-}} elsewhere to allow an unset variable (empty entries of
 * {@code api_keys} are dropped). {@code $${} is a literal {@code ${}.
 */
public final class ConfigLoader {

  /** The configuration, or null when there are errors. */
  public record Result(GatewayConfig config, List<String> errors) {
    public boolean ok() { return errors.isEmpty(); }
  }

  /** One provider validated on its own (management API), or null with every problem. */
  public record ProviderResult(ProviderConfig provider, List<String> errors) {
    public boolean ok() { return errors.isEmpty(); }
  }

  static final String ECHO = "echo";
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private ConfigLoader() {}

  /** {@code --config}, else {@code $JUNCTION_CONFIG}, else {@code ./junction.yaml} if it exists, else null. */
  public static Path resolvePath(String cliPath, Map<String, String> env, Path cwd) {
    if (cliPath != null && !cliPath.isBlank()) return cwd.resolve(cliPath);
    String fromEnv = env.get("JUNCTION_CONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) return cwd.resolve(fromEnv);
    Path local = cwd.resolve("junction.yaml");
    return Files.isRegularFile(local) ? local : null;
  }

  /** {@link #load(Path, Map)} with the process environment. */
  public static Result load(Path fileOrNull) { return load(fileOrNull, System.getenv()); }

  /** Loads {@code fileOrNull} (null: environment only) against {@code env}. */
  public static Result load(Path fileOrNull, Map<String, String> env) {
    if (fileOrNull == null) return fromTree(null, env);
    String text;
    try {
      text = Files.readString(fileOrNull);
    } catch (NoSuchFileException e) {
      return failed(fileOrNull + ": no such file");
    } catch (IOException e) {
      return failed(fileOrNull + ": cannot be read (" + e.getMessage() + ")");
    }
    return parse(text, fileOrNull.toString(), env);
  }

  /** Validates YAML text against {@code env}. */
  public static Result fromYaml(String yaml, Map<String, String> env) {
    return parse(yaml, "config", env);
  }

  /**
   * Validates one provider object, the body of {@code PUT /api/v1/config/providers/{name}}: the keys
   * of a YAML provider entry, the name taken from the path. Problems are prefixed with the key.
   */
  public static ProviderResult provider(String name, JsonNode body, Map<String, String> env) {
    Problems problems = new Problems();
    String nameProblem = name == null ? "required" : ProviderParser.nameProblem(name);
    if (nameProblem != null) problems.add("name", nameProblem);
    if (body == null || !body.isObject()) {
      problems.add("", "the body must be a JSON object");
      return new ProviderResult(null, problems.list());
    }
    ConfigReader r = new ConfigReader(body, "", problems, env);
    String bodyName = r.string("name");
    if (bodyName != null && !bodyName.equals(name)) r.problem("name", "must match the name in the path ('" + name + "')");
    ProviderConfig p = ProviderParser.parse(r, name == null ? "" : name);
    return problems.isEmpty() ? new ProviderResult(p, List.of()) : new ProviderResult(null, problems.list());
  }

  private static Result parse(String text, String source, Map<String, String> env) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      return failed(source + ": not valid YAML" + (at == null ? "" : " (line " + at.getLineNr() + ", column "
          + at.getColumnNr() + ")") + ": " + yamlProblem(e.getOriginalMessage()));
    }
    if (root != null && !root.isMissingNode() && !root.isNull() && !root.isObject()) {
      return failed(source + ": must be a YAML mapping (server:, providers:, ...)");
    }
    return fromTree(root == null || !root.isObject() ? null : root, env);
  }

  private static Result fromTree(JsonNode rootOrNull, Map<String, String> env) {
    Problems problems = new Problems();
    ConfigReader root = new ConfigReader(rootOrNull == null ? Json.object() : rootOrNull, "", problems, env);
    root.rejectUnknown(ConfigKeys.ROOT);
    GatewayConfig d = GatewayConfig.defaults();

    GatewayConfig.Server server = server(root.section("server", ConfigKeys.SERVER), d.server());
    String masterKey = root.section("auth", ConfigKeys.AUTH).optionalString("master_key");
    String storageUrl = root.section("storage", ConfigKeys.STORAGE).checked("url", false, ConfigLoader::storageUrlProblem);
    ConfigReader redis = root.section("redis", ConfigKeys.REDIS);
    String redisUrl = redis.checked("url", true, ConfigLoader::redisUrlProblem);
    Boolean redisFailClosed = redis.bool("fail_closed");
    String proxy = root.checked("upstream_proxy", true, ConfigReader::httpUrlProblem);
    GatewayConfig.Logs logs = logs(root.section("logs", ConfigKeys.LOGS), d.logs());
    Long responseDays = root.section("responses", ConfigKeys.RESPONSES).integer("retention_days", 0, Integer.MAX_VALUE);
    GatewayConfig.Responses responses = new GatewayConfig.Responses(
        responseDays == null ? d.responses().retentionDays() : responseDays.intValue());
    GatewayConfig.Cache cache = cache(root);

    List<ProviderConfig> providers = providers(root, env, problems);

    // JUNCTION_* variables override the file (CONTRACT §2).
    String host = override(env, "JUNCTION_HOST", server.host(), problems, h -> null);
    server = server.withAddress(host, port(env, server.port(), problems));
    masterKey = override(env, "JUNCTION_MASTER_KEY", masterKey, problems, k -> null);
    storageUrl = override(env, "JUNCTION_DB_URL", storageUrl, problems, ConfigLoader::storageUrlProblem);
    redisUrl = override(env, "JUNCTION_REDIS_URL", redisUrl, problems, ConfigLoader::redisUrlProblem);

    if (providers.isEmpty() && problems.isEmpty()) providers = List.of(echo());

    List<VirtualModelConfig> models = virtualModels(root, providers);
    List<PriceConfig> pricing = pricing(root);

    if (!problems.isEmpty()) return new Result(null, problems.list());
    return new Result(new GatewayConfig(server, masterKey, storageUrl == null ? d.storageUrl() : storageUrl,
        redisUrl, Boolean.TRUE.equals(redisFailClosed), proxy, logs, responses, List.copyOf(providers), models, pricing, cache), List.of());
  }

  /** The built-in provider that answers in-process, registered when nothing else is configured. */
  public static ProviderConfig echo() {
    return ProviderConfig.simple(ECHO, "echo", null, List.of(), List.of(ECHO, "*"));
  }

  private static GatewayConfig.Server server(ConfigReader r, GatewayConfig.Server d) {
    String host = r.string("host");
    if (host != null && host.isBlank()) {
      r.problem("host", "must not be empty");
      host = null;
    }
    Long port = r.integer("port", 0, 65535); // 0 = any free port (the log line says which)
    Long maxBody = r.integer("max_body_bytes", 1, Long.MAX_VALUE);
    Long grace = r.integer("shutdown_grace_ms", 0, Long.MAX_VALUE);
    Long idle = r.integer("idle_timeout_ms", 0, Long.MAX_VALUE);
    Long header = r.integer("header_timeout_ms", 0, Long.MAX_VALUE);
    Long connections = r.integer("max_connections", 1, Integer.MAX_VALUE);
    return new GatewayConfig.Server(host == null ? d.host() : host.trim(), port == null ? d.port() : port.intValue(),
        maxBody == null ? d.maxBodyBytes() : maxBody, grace == null ? d.shutdownGraceMs() : grace,
        idle == null ? d.idleTimeoutMs() : idle, header == null ? d.headerTimeoutMs() : header,
        connections == null ? d.maxConnections() : connections.intValue());
  }

  /** Largest {@code cache.max_entry_bytes}: one answer is held in memory whole while it is recorded. */
  static final long MAX_CACHE_ENTRY_BYTES = 1L << 30;

  /**
   * The {@code cache:} section: absent (or {@code enabled: false}) means no cache at all, so the
   * request path has no caching stage; present, even as {@code cache: {}}, turns it on.
   */
  private static GatewayConfig.Cache cache(ConfigReader root) {
    if (!root.has("cache")) return null;
    ConfigReader r = root.section("cache", ConfigKeys.CACHE);
    GatewayConfig.Cache d = GatewayConfig.Cache.defaults();
    Boolean enabled = r.bool("enabled");
    Long ttl = r.integer("ttl_seconds", 1, Integer.MAX_VALUE);
    Long entries = r.integer("max_entries", 1, Integer.MAX_VALUE);
    Long entryBytes = r.integer("max_entry_bytes", 1, MAX_CACHE_ENTRY_BYTES);
    if (Boolean.FALSE.equals(enabled)) return null;
    return new GatewayConfig.Cache(ttl == null ? d.ttlSeconds() : ttl, entries == null ? d.maxEntries() : entries.intValue(),
        entryBytes == null ? d.maxEntryBytes() : entryBytes.intValue());
  }

  private static GatewayConfig.Logs logs(ConfigReader r, GatewayConfig.Logs d) {
    Long days = r.integer("retention_days", 0, Integer.MAX_VALUE);
    Boolean bodies = r.bool("store_bodies");
    return new GatewayConfig.Logs(days == null ? d.retentionDays() : days.intValue(),
        bodies == null ? d.storeBodies() : bodies);
  }

  /**
   * The file's providers, each merged with what the environment says about the same name, then the
   * providers only the environment names, in preset order.
   */
  private static List<ProviderConfig> providers(ConfigReader root, Map<String, String> env, Problems problems) {
    Map<String, EnvProvider> fromEnv = new LinkedHashMap<>();
    for (EnvProvider p : EnvironmentProviders.read(env, problems)) fromEnv.put(p.name(), p);

    List<ProviderConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigReader entry : root.objects("providers")) {
      String name = entry.requiredString("name");
      if (name != null) {
        String problem = ProviderParser.nameProblem(name);
        if (problem != null) entry.problem("name", problem);
        else if (!names.add(name)) entry.problem("name", "duplicate provider name '" + name + "'");
      }
      EnvProvider sameName = name == null ? null : fromEnv.remove(name);
      ConfigReader merged = sameName == null ? entry : mergedWithEnvironment(entry, sameName.overlay());
      out.add(ProviderParser.parse(merged, name == null ? "" : name));
    }
    for (EnvProvider p : fromEnv.values()) {
      if (!p.standalone()) continue;
      if (p.incomplete() != null) {
        problems.add("", p.incomplete());
        continue;
      }
      out.add(ProviderParser.parse(new ConfigReader(p.entry(), "environment." + p.name(), problems, env), p.name()));
    }
    return out;
  }

  /** The file entry with the environment's values for the fields the file leaves out. */
  private static ConfigReader mergedWithEnvironment(ConfigReader entry, ObjectNode overlay) {
    ObjectNode merged = ((ObjectNode) entry.node()).deepCopy();
    for (String field : ConfigKeys.ENV_MERGEABLE) {
      if (overlay.has(field) && !entry.has(field)) merged.set(field, overlay.get(field));
    }
    return entry.withNode(merged);
  }

  private static List<VirtualModelConfig> virtualModels(ConfigReader root, List<ProviderConfig> providers) {
    Set<String> providerNames = new HashSet<>();
    providers.forEach(p -> providerNames.add(p.name()));
    Set<String> names = new HashSet<>();
    List<VirtualModelConfig> out = new ArrayList<>();
    for (ConfigReader m : root.objects("models")) {
      m.rejectUnknown(ConfigKeys.VIRTUAL_MODEL);
      String name = m.requiredString("name");
      if (name != null && providerNames.contains(name)) {
        m.problem("name", "'" + name + "' is also a provider name");
      } else if (name != null && !names.add(name)) {
        m.problem("name", "duplicate virtual model name '" + name + "'");
      }
      String strategy = m.string("strategy");
      if (strategy != null && !ConfigKeys.STRATEGIES.contains(strategy)) {
        m.problem("strategy", "must be one of " + String.join(", ", ConfigKeys.STRATEGIES));
      }
      String sticky = m.string("sticky");
      if (sticky != null && !sticky.equals("user")) m.problem("sticky", "must be user");
      List<VirtualModelConfig.Target> targets = new ArrayList<>();
      for (ConfigReader t : m.objects("targets")) {
        t.rejectUnknown(ConfigKeys.TARGET);
        String provider = t.requiredString("provider");
        if (provider != null && !providerNames.contains(provider)) {
          t.problem("provider", "no provider named '" + provider + "'");
        }
        String model = t.requiredString("model");
        Long weight = t.integer("weight", 0, Integer.MAX_VALUE);
        targets.add(new VirtualModelConfig.Target(provider, model, weight == null ? 1 : weight.intValue()));
      }
      if (!m.has("targets")) m.problem("targets", "required: at least one {provider, model}");
      else if (m.node().get("targets").isArray() && m.node().get("targets").isEmpty()) {
        m.problem("targets", "must not be empty");
      }
      out.add(new VirtualModelConfig(name, strategy == null ? "fallback" : strategy, List.copyOf(targets), sticky));
    }
    return List.copyOf(out);
  }

  private static List<PriceConfig> pricing(ConfigReader root) {
    List<PriceConfig> out = new ArrayList<>();
    for (ConfigReader p : root.objects("pricing")) {
      p.rejectUnknown(ConfigKeys.PRICE);
      String model = p.requiredString("model");
      Double input = p.nonNegativeNumber("input");
      Double output = p.nonNegativeNumber("output");
      if (!p.has("input")) p.problem("input", "required (USD per 1M input tokens)");
      if (!p.has("output")) p.problem("output", "required (USD per 1M output tokens)");
      out.add(new PriceConfig(model, input == null ? 0 : input, output == null ? 0 : output,
          p.nonNegativeNumber("cached_input"), p.nonNegativeNumber("cache_write")));
    }
    return List.copyOf(out);
  }

  /** The parser's explanation without its multi-line source excerpts, e.g. "expected ',' or ']', but got {". */
  private static String yamlProblem(String message) {
    return String.join("; ", message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
  }

  static String storageUrlProblem(String url) {
    return url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql:")
        ? null : "must start with jdbc:sqlite: or jdbc:postgresql:";
  }

  static String redisUrlProblem(String url) {
    return url.startsWith("redis://") || url.startsWith("rediss://") ? null : "must start with redis:// or rediss://";
  }

  private static String override(Map<String, String> env, String var, String current, Problems problems,
      java.util.function.Function<String, String> check) {
    if (!EnvironmentProviders.isSet(env, var)) return current;
    String value = env.get(var).trim();
    String problem = check.apply(value);
    if (problem == null) return value;
    problems.add(var, problem);
    return current;
  }

  /** {@code JUNCTION_PORT} when set and valid, else {@code current}. */
  private static int port(Map<String, String> env, int current, Problems problems) {
    String text = override(env, "JUNCTION_PORT", null, problems, p -> {
      try {
        return ConfigReader.rangeProblem(Long.parseLong(p), 0, 65535);
      } catch (NumberFormatException e) {
        return "must be an integer";
      }
    });
    return text == null ? current : Integer.parseInt(text);
  }

  private static Result failed(String error) { return new Result(null, List.of(error)); }
}
