package io.junction.config;

import static io.junction.config.ConfigLoaderTest.errors;
import static io.junction.config.ConfigLoaderTest.provider;
import static io.junction.config.ConfigLoaderTest.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {

  @Test
  void providersRegisterFromTheirKeysInPresetOrder() {
    GatewayConfig c = valid("", Map.of(
        "GROQ_API_KEY", "gk", "OPENAI_API_KEY", "sk", "ANTHROPIC_API_KEY", "ak", "COHERE_API_KEY", "ck",
        "PERPLEXITY_API_KEY", "pk"));
    assertThat(c.providers()).extracting(ProviderConfig::name)
        .containsExactly("openai", "anthropic", "cohere", "groq", "perplexity");
    ProviderConfig groq = provider(c, "groq");
    assertThat(groq.type()).isEqualTo("openai");
    assertThat(groq.preset()).isEqualTo("groq");
    assertThat(groq.baseUrl()).isEqualTo("https://api.groq.com/openai/v1");
    assertThat(groq.apiKeys()).containsExactly("gk");
    assertThat(groq.dispatch()).isEqualTo(DispatchMode.POOLED);
    assertThat(groq.enabled()).isTrue();
    assertThat(provider(c, "anthropic").type()).isEqualTo("anthropic");
    assertThat(provider(c, "anthropic").baseUrl()).isEqualTo("https://api.anthropic.com");
    assertThat(provider(c, "cohere").type()).isEqualTo("cohere");
  }

  @Test
  void commaSeparatedKeysMakeAPool() {
    GatewayConfig c = valid("", Map.of("OPENAI_API_KEY", "sk-a, sk-b,,sk-c "));
    assertThat(provider(c, "openai").apiKeys()).containsExactly("sk-a", "sk-b", "sk-c");
  }

  @Test
  void keysAreTakenVerbatimNotSubstituted() {
    GatewayConfig c = valid("", Map.of("OPENAI_API_KEY", "sk-${NOT_A_VAR}"));
    assertThat(provider(c, "openai").apiKeys()).containsExactly("sk-${NOT_A_VAR}");
  }

  @Test
  void geminiFromEitherVariable() {
    assertThat(provider(valid("", Map.of("GOOGLE_API_KEY", "g1")), "gemini").apiKeys()).containsExactly("g1");
    GatewayConfig both = valid("", Map.of("GEMINI_API_KEY", "g2", "GOOGLE_API_KEY", "g1"));
    assertThat(provider(both, "gemini").apiKeys()).containsExactly("g2");
    assertThat(provider(both, "gemini").type()).isEqualTo("gemini");
    assertThat(provider(both, "gemini").baseUrl()).isEqualTo("https://generativelanguage.googleapis.com");
  }

  @Test
  void azureFromKeyEndpointAndVersion() {
    GatewayConfig c = valid("", Map.of("AZURE_OPENAI_API_KEY", "az", "AZURE_OPENAI_ENDPOINT",
        "https://res.openai.azure.com", "AZURE_OPENAI_API_VERSION", "2024-10-21"));
    ProviderConfig azure = provider(c, "azure");
    assertThat(azure.type()).isEqualTo("azure");
    assertThat(azure.baseUrl()).isEqualTo("https://res.openai.azure.com");
    assertThat(azure.apiKeys()).containsExactly("az");
    assertThat(azure.option("api_version")).isEqualTo("2024-10-21");
  }

  @Test
  void azureKeyWithoutEndpointIsAnError() {
    assertThat(errors("", Map.of("AZURE_OPENAI_API_KEY", "az"))).containsExactly(
        "AZURE_OPENAI_ENDPOINT: must be set when AZURE_OPENAI_API_KEY is (https://<resource>.openai.azure.com)");
  }

  @Test
  void bedrockFromAwsCredentialsAsOneKey() {
    GatewayConfig c = valid("", Map.of("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "SECRET",
        "AWS_REGION", "eu-central-1"));
    ProviderConfig bedrock = provider(c, "bedrock");
    assertThat(bedrock.type()).isEqualTo("bedrock");
    assertThat(bedrock.apiKeys()).containsExactly("AKID:SECRET");
    assertThat(bedrock.option("region")).isEqualTo("eu-central-1");

    GatewayConfig withToken = valid("", Map.of("AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "SECRET",
        "AWS_SESSION_TOKEN", "TOKEN", "AWS_DEFAULT_REGION", "us-west-2"));
    assertThat(provider(withToken, "bedrock").apiKeys()).containsExactly("AKID:SECRET:TOKEN");
    assertThat(provider(withToken, "bedrock").option("region")).isEqualTo("us-west-2");
  }

  @Test
  void vertexFromAServiceAccountKeyThatIsNeverSplitAtCommas() {
    String json = "{\"type\":\"service_account\",\"project_id\":\"p\",\"client_email\":\"a@p.iam.gserviceaccount.com\"}";
    GatewayConfig c = valid("", Map.of("VERTEX_CREDENTIALS", json, "VERTEX_PROJECT", "proj-9", "VERTEX_LOCATION", "us-east5"));
    ProviderConfig vertex = provider(c, "vertex");
    assertThat(vertex.type()).isEqualTo("vertex");
    assertThat(vertex.apiKeys()).containsExactly(json);
    assertThat(vertex.option("project")).isEqualTo("proj-9");
    assertThat(vertex.option("location")).isEqualTo("us-east5");
  }

  @Test
  void halfOfTheAwsPairIsAnError() {
    assertThat(errors("", Map.of("AWS_ACCESS_KEY_ID", "AKID")))
        .containsExactly("AWS_SECRET_ACCESS_KEY: must be set together with AWS_ACCESS_KEY_ID");
  }

  @Test
  void bedrockEnabledWithoutKeysUsesTheDefaultChain() {
    ProviderConfig bedrock = provider(valid("", Map.of("BEDROCK_ENABLED", "true", "AWS_REGION", "us-west-2")), "bedrock");
    assertThat(bedrock.apiKeys()).isEmpty();
    assertThat(bedrock.option("region")).isEqualTo("us-west-2");
  }

  @Test
  void awsRegionAloneRegistersNothing() {
    assertThat(valid("", Map.of("AWS_REGION", "eu-west-1")).providers()).extracting(ProviderConfig::name)
        .containsExactly("echo");
  }

  @Test
  void localServersRegisterFromTheirBaseUrlWithAnOptionalKey() {
    GatewayConfig c = valid("", Map.of(
        "OLLAMA_BASE_URL", "http://gpu-box:11434/v1",
        "VLLM_BASE_URL", "http://localhost:8000/v1", "VLLM_API_KEY", "vk",
        "LMSTUDIO_API_KEY", "ignored-without-base-url"));
    assertThat(c.providers()).extracting(ProviderConfig::name).containsExactly("ollama", "vllm");
    assertThat(provider(c, "ollama").baseUrl()).isEqualTo("http://gpu-box:11434/v1");
    assertThat(provider(c, "ollama").apiKeys()).isEmpty();
    assertThat(provider(c, "ollama").type()).isEqualTo("openai");
    assertThat(provider(c, "vllm").apiKeys()).containsExactly("vk");
  }

  @Test
  void baseUrlOverridesACloudPresetDefault() {
    GatewayConfig c = valid("", Map.of("OPENAI_API_KEY", "sk", "OPENAI_BASE_URL", "https://proxy.example/v1"));
    assertThat(provider(c, "openai").baseUrl()).isEqualTo("https://proxy.example/v1");
  }

  @Test
  void enabledFalseKeepsAnEnvironmentProviderOut() {
    GatewayConfig c = valid("", Map.of("OPENAI_API_KEY", "sk", "GROQ_API_KEY", "gk", "GROQ_ENABLED", "false"));
    assertThat(c.providers()).extracting(ProviderConfig::name).containsExactly("openai");
  }

  @Test
  void dispatchModeFromTheEnvironment() {
    GatewayConfig c = valid("", Map.of("OLLAMA_BASE_URL", "http://localhost:11434/v1",
        "OLLAMA_DISPATCH_MODE", "Fallback", "OPENAI_API_KEY", "sk", "OPENAI_DISPATCH_MODE", "exclusive"));
    assertThat(provider(c, "ollama").dispatch()).isEqualTo(DispatchMode.FALLBACK);
    assertThat(provider(c, "openai").dispatch()).isEqualTo(DispatchMode.EXCLUSIVE);
  }

  @Test
  void badEnvironmentValuesAreErrorsNamingTheVariable() {
    assertThat(errors("", Map.of(
        "OLLAMA_BASE_URL", "localhost:11434",
        "OPENAI_API_KEY", "sk", "OPENAI_DISPATCH_MODE", "sometimes", "OPENAI_ENABLED", "nah",
        "JUNCTION_PORT", "abc"))).containsExactlyInAnyOrder(
        "OLLAMA_BASE_URL: must be an http:// or https:// URL",
        "OPENAI_DISPATCH_MODE: must be one of off, exclusive, pooled, fallback",
        "OPENAI_ENABLED: must be true or false",
        "JUNCTION_PORT: must be an integer");
    assertThat(errors("", Map.of("JUNCTION_PORT", "70000", "JUNCTION_DB_URL", "sqlite.db",
        "JUNCTION_REDIS_URL", "cache:6379"))).containsExactly(
        "JUNCTION_PORT: must be between 0 and 65535",
        "JUNCTION_DB_URL: must start with jdbc:sqlite: or jdbc:postgresql:",
        "JUNCTION_REDIS_URL: must start with redis:// or rediss://");
  }

  @Test
  void fileAndEnvironmentAreOneProviderAndTheFileWinsFieldByField() {
    GatewayConfig c = valid("""
        providers:
          - name: openai
            dispatch: fallback
            models: [gpt-4o]
          - name: groq
            api_keys: [file-key]
            base_url: https://file.example/v1
          - name: ollama
            models: ["llama*"]
        """, Map.of(
        "OPENAI_API_KEY", "env-a,env-b", "OPENAI_DISPATCH_MODE", "exclusive",
        "GROQ_API_KEY", "env-key", "GROQ_BASE_URL", "https://env.example/v1", "GROQ_ENABLED", "false",
        "OLLAMA_BASE_URL", "http://gpu:11434/v1"));
    assertThat(c.providers()).extracting(ProviderConfig::name).containsExactly("openai", "groq", "ollama");
    ProviderConfig openai = provider(c, "openai");
    assertThat(openai.apiKeys()).containsExactly("env-a", "env-b");
    assertThat(openai.dispatch()).isEqualTo(DispatchMode.FALLBACK);
    assertThat(openai.models()).containsExactly("gpt-4o");
    ProviderConfig groq = provider(c, "groq");
    assertThat(groq.apiKeys()).containsExactly("file-key");
    assertThat(groq.baseUrl()).isEqualTo("https://file.example/v1");
    assertThat(groq.enabled()).isFalse();
    assertThat(provider(c, "ollama").baseUrl()).isEqualTo("http://gpu:11434/v1");
  }

  @Test
  void fileEnabledWinsOverTheEnvironment() {
    GatewayConfig c = valid("providers: [{name: groq, enabled: true}]",
        Map.of("GROQ_API_KEY", "gk", "GROQ_ENABLED", "false"));
    assertThat(provider(c, "groq").enabled()).isTrue();
  }

  @Test
  void environmentOptionsMergeIntoAFileProvider() {
    GatewayConfig c = valid("""
        providers:
          - {name: azure, type: azure, base_url: "https://file.openai.azure.com"}
          - {name: bedrock, type: bedrock, region: us-east-1}
        """, Map.of("AZURE_OPENAI_API_KEY", "az", "AZURE_OPENAI_API_VERSION", "2024-10-21",
        "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "SECRET", "AWS_REGION", "eu-west-1"));
    ProviderConfig azure = provider(c, "azure");
    assertThat(azure.baseUrl()).isEqualTo("https://file.openai.azure.com");
    assertThat(azure.apiKeys()).containsExactly("az");
    assertThat(azure.option("api_version")).isEqualTo("2024-10-21");
    ProviderConfig bedrock = provider(c, "bedrock");
    assertThat(bedrock.apiKeys()).containsExactly("AKID:SECRET");
    assertThat(bedrock.option("region")).isEqualTo("us-east-1");
  }

  @Test
  void environmentOnlyProvidersFollowTheFileOnes() {
    GatewayConfig c = valid("providers: [{name: mine, type: openai, base_url: \"http://x:1/v1\"}]",
        Map.of("ANTHROPIC_API_KEY", "ak"));
    assertThat(c.providers()).extracting(ProviderConfig::name).containsExactly("mine", "anthropic");
  }

  @Test
  void junctionVariablesOverrideTheFile() {
    GatewayConfig c = valid("""
        server: {host: 127.0.0.1, port: 8094}
        auth: {master_key: from-file}
        storage: {url: "jdbc:sqlite:file.db"}
        redis: {url: "redis://file:6379"}
        """, Map.of("JUNCTION_HOST", "0.0.0.0", "JUNCTION_PORT", "9999", "JUNCTION_MASTER_KEY", "from-env",
        "JUNCTION_DB_URL", "jdbc:postgresql://db:5432/j", "JUNCTION_REDIS_URL", "rediss://env:6380"));
    assertThat(c.server().host()).isEqualTo("0.0.0.0");
    assertThat(c.server().port()).isEqualTo(9999);
    assertThat(c.masterKey()).isEqualTo("from-env");
    assertThat(c.storageUrl()).isEqualTo("jdbc:postgresql://db:5432/j");
    assertThat(c.redisUrl()).isEqualTo("rediss://env:6380");
  }

  @Test
  void echoOnlyWhenNothingAtAllIsConfigured() {
    assertThat(valid("", Map.of()).providers()).extracting(ProviderConfig::name).containsExactly("echo");
    assertThat(valid("", Map.of("GROQ_API_KEY", "gk")).providers()).extracting(ProviderConfig::name)
        .containsExactly("groq");
    assertThat(valid("", Map.of("GROQ_API_KEY", "gk", "GROQ_ENABLED", "false")).providers())
        .extracting(ProviderConfig::name).containsExactly("echo");
    assertThat(valid("", Map.of("LMSTUDIO_API_KEY", "k")).providers()).extracting(ProviderConfig::name)
        .containsExactly("echo");
  }

  @Test
  void everyTablePresetRegistersFromItsKey() {
    for (String name : List.of("openai", "anthropic", "groq", "together", "mistral", "cohere", "deepseek", "xai",
        "openrouter", "fireworks", "cerebras", "perplexity")) {
      GatewayConfig c = valid("", Map.of(name.toUpperCase() + "_API_KEY", "k"));
      assertThat(c.providers()).extracting(ProviderConfig::name).as(name).containsExactly(name);
      assertThat(provider(c, name).baseUrl()).as(name).startsWith("https://");
    }
    for (String name : List.of("ollama", "lmstudio", "vllm", "litellm")) {
      GatewayConfig c = valid("", Map.of(name.toUpperCase() + "_BASE_URL", "http://127.0.0.1:9/v1"));
      assertThat(c.providers()).extracting(ProviderConfig::name).as(name).containsExactly(name);
    }
  }
}
