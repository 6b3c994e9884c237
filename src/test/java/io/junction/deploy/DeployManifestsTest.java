package io.junction.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.junction.cli.Main;
import io.junction.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The sample deployments of docs/scale-out.md, read as systemd and Kubernetes would: the command
 * lines parse as Junction's CLI, the config validates, the environment names are the ones Junction
 * reads, probes hit the health routes, and the Service reaches the Deployment's pods.
 */
class DeployManifestsTest {
  static final Path UNIT = Path.of("deploy/systemd/junction.service");
  static final Path KUBE = Path.of("deploy/kubernetes/junction.yaml");
  static final List<String> JUNCTION_ENV = List.of("JUNCTION_HOST", "JUNCTION_PORT", "JUNCTION_MASTER_KEY", "JUNCTION_DB_URL",
      "JUNCTION_REDIS_URL");

  /** The arguments after {@code -jar <jar>}, parsed by Junction's own command line (unknown options throw). */
  static CommandLine.ParseResult parseJunctionArgs(List<String> javaCommand) {
    int jar = javaCommand.indexOf("-jar");
    assertThat(jar).as("runs the jar: " + javaCommand).isPositive();
    assertThat(javaCommand.get(jar + 1)).endsWith("junction.jar");
    List<String> args = javaCommand.subList(jar + 2, javaCommand.size());
    CommandLine.ParseResult r = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
    assertThat(r.subcommand().commandSpec().name()).isEqualTo("serve");
    return r;
  }

  @Test
  void theSystemdUnitRunsServeAndStopsGracefully() throws Exception {
    Map<String, Map<String, String>> unit = new LinkedHashMap<>();
    Map<String, String> section = null;
    for (String line : Files.readAllLines(UNIT)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      if (l.startsWith("[")) {
        section = new HashMap<>();
        unit.put(l.substring(1, l.length() - 1), section);
      } else {
        assertThat(section).as("key outside a section: " + l).isNotNull();
        int eq = l.indexOf('=');
        assertThat(eq).as("not key=value: " + l).isPositive();
        section.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    assertThat(unit).containsOnlyKeys("Unit", "Service", "Install");
    Map<String, String> service = unit.get("Service");
    CommandLine.ParseResult serve = parseJunctionArgs(List.of(service.get("ExecStart").split("\\s+")));
    assertThat(serve.subcommand().matchedOptionValue("--host", "")).isEqualTo("0.0.0.0");
    assertThat(service.get("KillSignal")).isEqualTo("SIGTERM");
    assertThat(Integer.parseInt(service.get("TimeoutStopSec"))).as("longer than the default 30 s shutdown grace").isGreaterThan(30);
    assertThat(service).containsKey("EnvironmentFile");
    assertThat(unit.get("Install").get("WantedBy")).isEqualTo("multi-user.target");
  }

  @Test
  void theKubernetesDeploymentAndServiceFitTogether() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(KUBE.toFile())) {
      while (it.hasNext()) docs.add(it.next());
    }
    Map<String, JsonNode> byKind = new HashMap<>();
    for (JsonNode d : docs) byKind.put(d.path("kind").asText(), d);
    assertThat(byKind).containsOnlyKeys("Deployment", "Service", "ConfigMap");

    JsonNode deployment = byKind.get("Deployment");
    assertThat(deployment.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(deployment.at("/spec/replicas").asInt()).isGreaterThan(1);
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    assertThat(deployment.at("/spec/selector/matchLabels")).isEqualTo(podLabels);
    assertThat(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt()).isGreaterThan(30);
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    List<String> command = new ArrayList<>();
    container.path("command").forEach(c -> command.add(c.asText()));
    CommandLine.ParseResult serve = parseJunctionArgs(command);
    int port = serve.subcommand().matchedOptionValue("--port", 0);
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(port);
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health");
    List<String> env = new ArrayList<>();
    container.path("env").forEach(e -> env.add(e.path("name").asText()));
    assertThat(env).filteredOn(n -> n.startsWith("JUNCTION_")).isSubsetOf(JUNCTION_ENV)
        .contains("JUNCTION_DB_URL", "JUNCTION_REDIS_URL", "JUNCTION_MASTER_KEY");

    JsonNode service = byKind.get("Service");
    assertThat(service.at("/spec/selector")).isEqualTo(podLabels);
    assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo(container.at("/ports/0/name").asText());

    // The mounted config validates, with the environment the Deployment gives.
    String yaml = byKind.get("ConfigMap").at("/data/junction.yaml").asText();
    ConfigLoader.Result config = ConfigLoader.fromYaml(yaml, Map.of("OPENAI_API_KEY", "sk-x", "JUNCTION_REDIS_URL", "redis://redis:6379",
        "JUNCTION_DB_URL", "jdbc:postgresql://db:5432/junction?user=junction", "JUNCTION_MASTER_KEY", "jk-m"));
    assertThat(config.errors()).isEmpty();
    assertThat(config.config().redisUrl()).isEqualTo("redis://redis:6379");
    assertThat(config.config().storageUrl()).startsWith("jdbc:postgresql:");
    assertThat(container.at("/volumeMounts/1/mountPath").asText()).isEqualTo("/etc/junction");
    assertThat(serve.subcommand().matchedOptionValue("--config", "")).isEqualTo("/etc/junction/junction.yaml");
  }
}
