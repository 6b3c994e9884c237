package io.junction.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.Json;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/grafana/junction.json} against what a running gateway really exports: every
 * metric a panel (or a template variable) queries is in the scrape, every panel queries one, and
 * every {@code junction_*} family of the scrape has a panel.
 */
class GrafanaDashboardTest {
  static final Path DASHBOARD = Path.of("deploy/grafana/junction.json");
  /** Metric names in PromQL: an identifier not followed by '(' (a function) and not a label name or keyword. */
  static final Pattern METRIC = Pattern.compile("\\b((?:junction|jvm|process|system)_[a-zA-Z0-9_]+)\\b");
  static Vertx vertx;
  static MockOpenAiServer upstream;
  static TestGateway gateway;
  static String scrape;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    gateway = TestGateway.withProviders(
        ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o")));
    HttpClient http = HttpClient.newHttpClient();
    // Traffic that makes every family appear: a plain call, a stream (time to first token), and a
    // call retried after an upstream 500 (a failed attempt).
    upstream.enqueue(Reply.error(500, "Upstream fell over"));
    for (String body : List.of("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
          .header("authorization", "Bearer " + TestGateway.MASTER_KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    scrape = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close();
  }

  /** Sample names in the scrape (histograms give name_bucket, name_sum, name_count). */
  static Set<String> exported() {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') end++;
      names.add(line.substring(0, end));
    }
    return names;
  }

  static List<String> metricsIn(String expr) {
    List<String> out = new ArrayList<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  @Test
  void everyPanelQueriesMetricsTheGatewayExports() throws Exception {
    JsonNode dashboard = Json.parse(Files.readString(DASHBOARD));
    Set<String> exported = exported();
    assertThat(exported).contains("junction_requests_total", "junction_request_duration_seconds_bucket");
    List<String> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      if (panel.path("type").asText().equals("row")) continue;
      String title = panel.get("title").asText();
      panels.add(title);
      List<String> used = new ArrayList<>();
      for (JsonNode target : panel.path("targets")) used.addAll(metricsIn(target.path("expr").asText()));
      assertThat(used).as("panel '%s' queries a metric", title).isNotEmpty();
      assertThat(exported).as("metrics of panel '%s'", title).containsAll(used);
    }
    assertThat(panels).doesNotHaveDuplicates();
    for (JsonNode variable : dashboard.at("/templating/list")) {
      String query = variable.path("definition").asText();
      assertThat(exported).as("variable %s", variable.path("name").asText()).containsAll(metricsIn(query));
    }
  }

  @Test
  void everyJunctionMetricHasAPanel() throws Exception {
    String dashboard = Files.readString(DASHBOARD);
    Set<String> families = new TreeSet<>();
    for (String name : exported()) {
      if (name.startsWith("junction_")) families.add(name.replaceAll("_(bucket|sum|count|max)$", ""));
    }
    assertThat(families).isNotEmpty();
    for (String family : families) {
      assertThat(dashboard).as("a panel shows " + family).contains(family);
    }
  }
}
