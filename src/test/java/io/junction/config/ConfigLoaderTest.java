package io.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Map<String, String> NO_ENV = Map.of();

  static GatewayConfig valid(String yaml, Map<String, String> env) {
    ConfigLoader.Result r = ConfigLoader.fromYaml(yaml, env);
    assertThat(r.errors()).isEmpty();
    assertThat(r.config()).isNotNull();
    return r.config();
  }

  static List<String> errors(String yaml, Map<String, String> env) {
    ConfigLoader.Result r = ConfigLoader.fromYaml(yaml, env);
    assertThat(r.config()).isNull();
    return r.errors();
  }

  static ProviderConfig provider(GatewayConfig c, String name) {
    return c.providers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  // ---- resolving the file ----

  @Test
  void resolvePathPrefersCliThenEnvThenLocalFile(@TempDir Path cwd) throws IOException {
    assertThat(ConfigLoader.resolvePath(null, NO_ENV, cwd)).isNull();
    Files.writeString(cwd.resolve("junction.yaml"), "");
    assertThat(ConfigLoader.resolvePath(null, NO_ENV, cwd)).isEqualTo(cwd.resolve("junction.yaml"));
    assertThat(ConfigLoader.resolvePath(null, Map.of("JUNCTION_CONFIG", "/etc/j.yaml"), cwd))
        .isEqualTo(Path.of("/etc/j.yaml"));
    assertThat(ConfigLoader.resolvePath("mine.yaml", Map.of("JUNCTION_CONFIG", "/etc/j.yaml"), cwd))
        .isEqualTo(cwd.resolve("mine.yaml"));
  }

  @Test
  void missingFileIsOneError(@TempDir Path dir) {
    Path missing = dir.resolve("absent.yaml");
    ConfigLoader.Result r = ConfigLoader.load(missing, NO_ENV);
    assertThat(r.config()).isNull();
    assertThat(r.errors()).containsExactly(missing + ": no such file");
  }

  @Test
  void fileThatIsNotYamlIsOneErrorWithItsPosition(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "server:\n  port: [1, 2\n");
    ConfigLoader.Result r = ConfigLoader.load(bad, NO_ENV);
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0)).startsWith(bad + ": not valid YAML (line ");
  }

  @Test
  void yamlErrorsAreOneLineWithTheParsersExplanation() {
    assertThat(errors("providers:\n  - api_keys: [${KEY}]\n", NO_ENV)).containsExactly(
        "config: not valid YAML (line 2, column 17): while parsing a flow sequence; expected ',' or ']', but got {");
  }

  @Test
  void unquotedOffIsTheDispatchModeNotABoolean() {
    GatewayConfig c = valid("providers: [{name: a, type: openai, dispatch: off}]", NO_ENV);
    assertThat(provider(c, "a").dispatch()).isEqualTo(DispatchMode.OFF);
    assertThat(errors("providers: [{name: a, type: openai, dispatch: true}]", NO_ENV))
        .containsExactly("providers[0].dispatch: must be a string");
  }

  @Test
  void topLevelMustBeAMapping() {
    assertThat(errors("- a\n- b\n", NO_ENV)).containsExactly("config: must be a YAML mapping (server:, providers:, ...)");
  }

  @Test
  void duplicateKeysAreAnError() {
    assertThat(errors("server:\n  port: 1\n  port: 2\n", NO_ENV)).singleElement().asString().contains("port");
  }

  @Test
  void loadsAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("j.yaml");
    Files.writeString(file, "server: {port: 9000}\n");
    ConfigLoader.Result r = ConfigLoader.load(file, NO_ENV);
    assertThat(r.errors()).isEmpty();
    assertThat(r.config().server().port()).isEqualTo(9000);
  }

  // ---- defaults and the echo fallback ----

  @Test
  void emptyConfigGivesDefaultsAndTheEchoProvider() {
    GatewayConfig c = valid("", NO_ENV);
    assertThat(c.server()).isEqualTo(GatewayConfig.defaults().server());
    assertThat(c.storageUrl()).isEqualTo("jdbc:sqlite:junction.db");
    assertThat(c.masterKey()).isNull();
    assertThat(c.redisUrl()).isNull();
    assertThat(c.providers()).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("echo");
      assertThat(p.type()).isEqualTo("echo");
      assertThat(p.models()).containsExactly("echo", "*");
      assertThat(p.enabled()).isTrue();
    });
    assertThat(ConfigLoader.load(null, NO_ENV).config().providers()).extracting(ProviderConfig::name)
        .containsExactly("echo");
  }

  @Test
  void echoIsNotAddedWhenAnyProviderIsConfigured() {
    GatewayConfig c = valid("providers: [{name: openai, api_keys: [k]}]", NO_ENV);
    assertThat(c.providers()).extracting(ProviderConfig::name).containsExactly("openai");
  }

  // ---- the whole file ----

  @Test
  void readsEveryTopLevelSection() {
    GatewayConfig c = valid("""
        server: {host: 0.0.0.0, port: 9000, max_body_bytes: 1024, shutdown_grace_ms: 5}
        auth: {master_key: mk}
        storage: {url: "jdbc:postgresql://db:5432/j?user=u&password=p"}
        redis: {url: "rediss://cache:6380"}
        upstream_proxy: http://proxy:3128
        logs: {retention_days: 7, store_bodies: true}
        providers: [{name: openai, api_keys: [k]}]
        pricing:
          - {model: my-ft, input: 1.0, output: 2}
          - {model: other, input: 0, output: 0.5, cached_input: 0.1, cache_write: 0.2}
        """, NO_ENV);
    assertThat(c.server()).isEqualTo(new GatewayConfig.Server("0.0.0.0", 9000, 1024, 5));
    assertThat(c.masterKey()).isEqualTo("mk");
    assertThat(c.storageUrl()).isEqualTo("jdbc:postgresql://db:5432/j?user=u&password=p");
    assertThat(c.redisUrl()).isEqualTo("rediss://cache:6380");
    assertThat(c.upstreamProxy()).isEqualTo("http://proxy:3128");
    assertThat(c.logs()).isEqualTo(new GatewayConfig.Logs(7, true));
    assertThat(c.pricing()).containsExactly(new PriceConfig("my-ft", 1.0, 2.0, null, null),
        new PriceConfig("other", 0, 0.5, 0.1, 0.2));
  }

  @Test
  void readsEveryProviderField() {
    GatewayConfig c = valid("""
        providers:
          - name: openai
            type: openai
            base_url: https://gateway.example/v1
            api_keys: [sk-a, sk-b]
            dispatch: exclusive
            weight: 3
            models: [gpt-4o, "ft:*", "fast=gpt-4o-mini"]
            timeout_ms: 1000
            connect_timeout_ms: 2000
            first_byte_timeout_ms: 3000
            idle_timeout_ms: 4000
            max_retries: 5
            headers: {OpenAI-Organization: org-1}
            enabled: false
            health_check_interval_ms: 60000
          - name: az
            type: azure
            base_url: https://res.openai.azure.com
            api_version: "2024-10-21"
          - name: aws
            type: bedrock
            region: eu-west-1
        """, NO_ENV);
    assertThat(provider(c, "openai")).isEqualTo(new ProviderConfig("openai", "openai", "openai",
        "https://gateway.example/v1", List.of("sk-a", "sk-b"), DispatchMode.EXCLUSIVE, 3,
        List.of("gpt-4o", "ft:*", "fast=gpt-4o-mini"), 1000, 2000, 3000, 4000, 5,
        Map.of("OpenAI-Organization", "org-1"), false, Map.of("health_check_interval_ms", "60000")));
    assertThat(provider(c, "az").option("api_version")).isEqualTo("2024-10-21");
    assertThat(provider(c, "aws").option("region")).isEqualTo("eu-west-1");
    assertThat(provider(c, "aws").baseUrl()).isNull();
  }

  @Test
  void providerDefaults() {
    ProviderConfig p = provider(valid("providers: [{name: x, type: anthropic}]", NO_ENV), "x");
    assertThat(p).isEqualTo(new ProviderConfig("x", "anthropic", null, null, List.of(), DispatchMode.POOLED, 1,
        List.of(), ProviderConfig.DEFAULT_TIMEOUT_MS, ProviderConfig.DEFAULT_CONNECT_TIMEOUT_MS,
        ProviderConfig.DEFAULT_FIRST_BYTE_TIMEOUT_MS, ProviderConfig.DEFAULT_IDLE_TIMEOUT_MS,
        ProviderConfig.DEFAULT_MAX_RETRIES, Map.of(), true, Map.of()));
  }

  @Test
  void presetGivesTypeAndBaseUrlUnlessTheFileDoes() {
    GatewayConfig c = valid("""
        providers:
          - {name: fast, preset: groq, api_keys: [g]}
          - {name: mine, preset: groq, type: openai, base_url: "http://groq-proxy:8080/v1"}
          - {name: mistral, api_keys: [m]}
          - {name: box, preset: ollama}
          - {name: groq, type: openai}
          - {name: deepseek, type: anthropic, base_url: "https://api.deepseek.com/anthropic"}
        """, NO_ENV);
    assertThat(provider(c, "groq").baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
    assertThat(provider(c, "groq").preset()).isEqualTo("groq");
    assertThat(provider(c, "deepseek").preset()).isNull();
    assertThat(provider(c, "deepseek").type()).isEqualTo("anthropic");
    assertThat(provider(c, "fast").type()).isEqualTo("openai");
    assertThat(provider(c, "fast").preset()).isEqualTo("groq");
    assertThat(provider(c, "fast").baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
    assertThat(provider(c, "mine").baseUrl()).isEqualTo("http://groq-proxy:8080/v1");
    assertThat(provider(c, "mistral").preset()).isEqualTo("mistral");
    assertThat(provider(c, "mistral").type()).isEqualTo("openai");
    assertThat(provider(c, "mistral").baseUrl()).isEqualTo("https://api.mistral.ai/v1");
    assertThat(provider(c, "box").baseUrl()).isEqualTo("http://localhost:11434/v1");
  }

  @Test
  void apiKeysMayBeOneCommaSeparatedString() {
    GatewayConfig c = valid("providers: [{name: openai, api_keys: \"${KEYS}\"}]", Map.of("KEYS", "a, b,,c"));
    assertThat(provider(c, "openai").apiKeys()).containsExactly("a", "b", "c");
  }

  @Test
  void readsVirtualModels() {
    GatewayConfig c = valid("""
        providers: [{name: openai, api_keys: [k]}, {name: anthropic, api_keys: [k]}]
        models:
          - name: smart
            strategy: weighted
            sticky: user
            targets:
              - {provider: anthropic, model: claude-sonnet-4-5, weight: 3}
              - {provider: openai, model: gpt-4o}
          - name: plain
            targets: [{provider: openai, model: gpt-4o-mini}]
        """, NO_ENV);
    assertThat(c.models()).containsExactly(
        new VirtualModelConfig("smart", "weighted", List.of(
            new VirtualModelConfig.Target("anthropic", "claude-sonnet-4-5", 3),
            new VirtualModelConfig.Target("openai", "gpt-4o", 1)), "user"),
        new VirtualModelConfig("plain", "fallback", List.of(
            new VirtualModelConfig.Target("openai", "gpt-4o-mini", 1)), null));
  }

  // ---- substitution ----

  @Test
  void substitutesVariablesInAnyStringValueIncludingNumbers() {
    GatewayConfig c = valid("""
        server: {host: "${HOST}", port: "${PORT:-9100}"}
        providers:
          - name: openai
            base_url: "https://${GW}/v1"
            api_keys: ["${KEY}"]
            headers: {X-Team: "${TEAM:-core}"}
            weight: "${WEIGHT}"
            enabled: "${ON}"
        """, Map.of("HOST", "10.0.0.1", "GW", "gw.example", "KEY", "sk-1", "WEIGHT", "4", "ON", "false"));
    assertThat(c.server().host()).isEqualTo("10.0.0.1");
    assertThat(c.server().port()).isEqualTo(9100);
    ProviderConfig p = provider(c, "openai");
    assertThat(p.baseUrl()).isEqualTo("https://gw.example/v1");
    assertThat(p.apiKeys()).containsExactly("sk-1");
    assertThat(p.headers()).containsEntry("X-Team", "core");
    assertThat(p.weight()).isEqualTo(4);
    assertThat(p.enabled()).isFalse();
  }

  @Test
  void unsetVariableIsAnErrorNamingPathAndVariable() {
    assertThat(errors("providers: [{name: openai, api_keys: [\"${OPENAI_KEY}\"]}]", NO_ENV)).containsExactly(
        "providers[0].api_keys[0]: environment variable OPENAI_KEY is not set (write ${OPENAI_KEY:-default} to give a default)");
  }

  @Test
  void unsetVariableInAnOptionalValueLeavesItUnset() {
    GatewayConfig c = valid("""
        auth: {master_key: "${JUNCTION_MASTER_KEY}"}
        redis: {url: "${REDIS}"}
        upstream_proxy: "${HTTPS_PROXY}"
        providers: [{name: openai, api_keys: ["${OPENAI_KEY:-}"]}]
        """, NO_ENV);
    assertThat(c.masterKey()).isNull();
    assertThat(c.redisUrl()).isNull();
    assertThat(c.upstreamProxy()).isNull();
    assertThat(provider(c, "openai").apiKeys()).isEmpty();
  }

  @Test
  void escapedReferenceIsKeptLiterally() {
    GatewayConfig c = valid("providers: [{name: openai, headers: {X-Template: \"$${USER}\"}}]", NO_ENV);
    assertThat(provider(c, "openai").headers()).containsEntry("X-Template", "${USER}");
  }

  // ---- unknown keys ----

  @Test
  void unknownKeysAreErrorsWithTheirPath() {
    assertThat(errors("""
        server: {prot: 1}
        colour: blue
        logs: {keep: 1}
        auth: {key: x}
        storage: {uri: x}
        redis: {host: x}
        providers: [{name: openai, api_key: x}]
        models: [{name: m, targets: [{provider: openai, model: x, wieght: 1}], stickiness: user}]
        pricing: [{model: m, input: 1, output: 1, currency: usd}]
        """, NO_ENV)).containsExactlyInAnyOrder(
        "server.prot: unknown key",
        "colour: unknown key",
        "logs.keep: unknown key",
        "auth.key: unknown key",
        "storage.uri: unknown key",
        "redis.host: unknown key",
        "providers[0].api_key: unknown key",
        "models[0].targets[0].wieght: unknown key",
        "models[0].stickiness: unknown key",
        "pricing[0].currency: unknown key");
  }

  // ---- validation ----

  @Test
  void serverValuesAreChecked() {
    assertThat(errors("server: {port: -1, max_body_bytes: 0, shutdown_grace_ms: -1, host: \"\"}", NO_ENV))
        .containsExactlyInAnyOrder(
            "server.port: must be between 0 and 65535",
            "server.max_body_bytes: must be >= 1",
            "server.shutdown_grace_ms: must be >= 0",
            "server.host: must not be empty");
    assertThat(errors("server: {port: 70000}", NO_ENV)).containsExactly("server.port: must be between 0 and 65535");
    assertThat(errors("server: {port: eighty}", NO_ENV)).containsExactly("server.port: must be an integer");
    assertThat(errors("server: {port: 80.5}", NO_ENV)).containsExactly("server.port: must be an integer");
    assertThat(errors("server: 8080", NO_ENV)).containsExactly("server: must be a mapping");
  }

  @Test
  void storageRedisAndProxyUrlsAreChecked() {
    assertThat(errors("""
        storage: {url: "mysql://db"}
        redis: {url: "http://cache"}
        upstream_proxy: "socks5://p:1080"
        logs: {retention_days: -1, store_bodies: maybe}
        """, NO_ENV)).containsExactly(
        "storage.url: must start with jdbc:sqlite: or jdbc:postgresql:",
        "redis.url: must start with redis:// or rediss://",
        "upstream_proxy: must be an http:// or https:// URL",
        "logs.retention_days: must be >= 0",
        "logs.store_bodies: must be true or false");
  }

  @Test
  void providerNamesMustBeValidAndUnique() {
    assertThat(errors("""
        providers:
          - {name: OpenAI, type: openai}
          - {name: a, type: openai}
          - {name: a, type: openai}
          - {type: openai}
        """, NO_ENV)).containsExactly(
        "providers[0].name: must match [a-z0-9_-]+ (lower-case letters, digits, _ and -)",
        "providers[2].name: duplicate provider name 'a'",
        "providers[3].name: required");
  }

  @Test
  void typeAndPresetAreChecked() {
    assertThat(errors("""
        providers:
          - {name: a, type: llama}
          - {name: b, preset: nosuch}
          - {name: c}
          - {name: d, type: anthropic, preset: groq}
          - {name: e, type: azure}
        """, NO_ENV)).containsExactly(
        "providers[0].type: must be one of openai, openai-responses, anthropic, gemini, cohere, bedrock, azure, vertex, echo",
        "providers[1].preset: unknown preset 'nosuch'; known: openai, anthropic, gemini, cohere, azure, bedrock, "
            + "groq, together, mistral, deepseek, xai, openrouter, fireworks, cerebras, perplexity, vertex, sambanova, "
            + "deepinfra, nebius, novita, hyperbolic, moonshot, zhipu, dashscope, huggingface, nvidia, baseten, github, "
            + "ollama, lmstudio, vllm, litellm",
        "providers[2].type: required unless a preset is given; one of openai, openai-responses, anthropic, gemini, cohere, bedrock, "
            + "azure, vertex, echo",
        "providers[3].type: preset groq is served by type openai; leave type out or use openai",
        "providers[4].base_url: required for type azure (the resource endpoint, https://<resource>.openai.azure.com)");
  }

  @Test
  void providerValuesAreChecked() {
    assertThat(errors("""
        providers:
          - name: a
            type: openai
            base_url: "ftp://x"
            dispatch: sometimes
            weight: -1
            timeout_ms: -5
            connect_timeout_ms: -1
            first_byte_timeout_ms: -1
            idle_timeout_ms: -1
            max_retries: 11
            models: [ok, 3, "", "=x", "a="]
            headers: [x]
            enabled: yes-please
            api_keys: {a: b}
            health_check_interval_ms: -1
            region: [x]
        """, NO_ENV)).containsExactlyInAnyOrder(
        "providers[0].base_url: must be an http:// or https:// URL",
        "providers[0].dispatch: must be one of off, exclusive, pooled, fallback",
        "providers[0].weight: must be >= 0",
        "providers[0].timeout_ms: must be >= 0",
        "providers[0].connect_timeout_ms: must be >= 0",
        "providers[0].first_byte_timeout_ms: must be >= 0",
        "providers[0].idle_timeout_ms: must be >= 0",
        "providers[0].max_retries: must be between 0 and 10",
        "providers[0].models[2]: must not be empty",
        "providers[0].models[3]: '=x' must be a name, a glob, or alias=upstream with both sides given",
        "providers[0].models[4]: 'a=' must be a name, a glob, or alias=upstream with both sides given",
        "providers[0].headers: must be a mapping of names to strings",
        "providers[0].enabled: must be true or false",
        "providers[0].api_keys: must be a list of strings",
        "providers[0].health_check_interval_ms: must be >= 0",
        "providers[0].region: must be a string");
  }

  @Test
  void modelEntriesMustBeStrings() {
    assertThat(errors("providers: [{name: a, type: openai, models: [[x], {y: z}]}]", NO_ENV)).containsExactly(
        "providers[0].models[0]: must be a string", "providers[0].models[1]: must be a string");
  }

  @Test
  void providersMustBeAListOfMappings() {
    assertThat(errors("providers: {name: a}", NO_ENV)).containsExactly("providers: must be a list");
    assertThat(errors("providers: [openai]", NO_ENV)).containsExactly("providers[0]: must be a mapping");
  }

  @Test
  void virtualModelsAreChecked() {
    assertThat(errors("""
        providers: [{name: openai, api_keys: [k]}]
        models:
          - name: openai
            targets: [{provider: openai, model: gpt-4o}]
          - name: smart
            strategy: cheapest
            sticky: session
            targets: [{provider: nosuch, model: x}, {provider: openai, weight: -2}]
          - name: smart
            targets: []
          - {name: lonely}
          - {targets: [{provider: openai, model: m}]}
        """, NO_ENV)).containsExactly(
        "models[0].name: 'openai' is also a provider name",
        "models[1].strategy: must be one of fallback, weighted, round_robin, least_latency, lowest_cost",
        "models[1].sticky: must be user",
        "models[1].targets[0].provider: no provider named 'nosuch'",
        "models[1].targets[1].model: required",
        "models[1].targets[1].weight: must be >= 0",
        "models[2].name: duplicate virtual model name 'smart'",
        "models[2].targets: must not be empty",
        "models[3].targets: required: at least one {provider, model}",
        "models[4].name: required");
  }

  @Test
  void virtualModelTargetsMayNameEnvironmentProviders() {
    GatewayConfig c = valid("models: [{name: smart, targets: [{provider: groq, model: llama-3.3-70b}]}]",
        Map.of("GROQ_API_KEY", "g"));
    assertThat(c.models()).singleElement().extracting(VirtualModelConfig::name).isEqualTo("smart");
  }

  @Test
  void pricingIsChecked() {
    assertThat(errors("""
        pricing:
          - {model: a, input: -1, output: cheap}
          - {input: 1}
          - {model: c, input: 1, output: 1, cached_input: -0.5}
        """, NO_ENV)).containsExactly(
        "pricing[0].input: must be >= 0",
        "pricing[0].output: must be a number",
        "pricing[1].model: required",
        "pricing[1].output: required (USD per 1M output tokens)",
        "pricing[2].cached_input: must be >= 0");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    List<String> errs = errors("""
        server: {port: 0.5, prot: 1}
        storage: {url: nope}
        providers:
          - {name: a, type: openai, dispatch: sometimes}
          - {name: B, type: openai, weight: -1}
        models: [{name: m, strategy: random, targets: [{provider: zzz, model: x}]}]
        pricing: [{model: p, input: -1, output: 1}]
        """, NO_ENV);
    assertThat(errs).containsExactly(
        "server.prot: unknown key",
        "server.port: must be an integer",
        "storage.url: must start with jdbc:sqlite: or jdbc:postgresql:",
        "providers[0].dispatch: must be one of off, exclusive, pooled, fallback",
        "providers[1].name: must match [a-z0-9_-]+ (lower-case letters, digits, _ and -)",
        "providers[1].weight: must be >= 0",
        "models[0].strategy: must be one of fallback, weighted, round_robin, least_latency, lowest_cost",
        "models[0].targets[0].provider: no provider named 'zzz'",
        "pricing[0].input: must be >= 0");
  }

  // ---- PUT /api/v1/config/providers/{name} ----

  @Test
  void providerBodyIsValidatedLikeAFileEntry() throws Exception {
    var body = io.junction.protocol.Json.parse("""
        {"preset": "groq", "api_keys": ["${GROQ_KEY}"], "dispatch": "fallback", "weight": 2}
        """);
    ConfigLoader.ProviderResult r = ConfigLoader.provider("fast", body, Map.of("GROQ_KEY", "gk"));
    assertThat(r.errors()).isEmpty();
    assertThat(r.provider().name()).isEqualTo("fast");
    assertThat(r.provider().type()).isEqualTo("openai");
    assertThat(r.provider().baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
    assertThat(r.provider().apiKeys()).containsExactly("gk");
    assertThat(r.provider().dispatch()).isEqualTo(DispatchMode.FALLBACK);
    assertThat(r.provider().weight()).isEqualTo(2);
  }

  @Test
  void providerBodyReportsEveryProblemByKey() throws Exception {
    var body = io.junction.protocol.Json.parse("""
        {"name": "other", "type": "openai", "dispatch": "sometimes", "max_retries": 99, "colour": "red"}
        """);
    ConfigLoader.ProviderResult r = ConfigLoader.provider("Bad Name", body, NO_ENV);
    assertThat(r.provider()).isNull();
    assertThat(r.errors()).containsExactly(
        "name: must match [a-z0-9_-]+ (lower-case letters, digits, _ and -)",
        "name: must match the name in the path ('Bad Name')",
        "colour: unknown key",
        "dispatch: must be one of off, exclusive, pooled, fallback",
        "max_retries: must be between 0 and 10");
    assertThat(ConfigLoader.provider("x", io.junction.protocol.Json.parse("[1]"), NO_ENV).errors())
        .containsExactly("the body must be a JSON object");
  }
}
