package io.junction.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.Junction;
import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces against a real OTLP/HTTP receiver started here (a Vert.x server decoding the protobuf
 * export requests the SDK sends): one SERVER span per request, one CLIENT span per upstream
 * attempt, GenAI attributes, the caller's traceparent honoured and each attempt's passed upstream.
 */
class TracingTest {
  static Vertx vertx;
  static HttpServer receiver;
  static final List<String> resourceServiceNames = new CopyOnWriteArrayList<>();
  static final List<Span> spans = new CopyOnWriteArrayList<>();
  static MockOpenAiServer upstream;
  static Junction gateway;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    receiver = MockOpenAiServer.await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (!req.path().equals("/v1/traces") || !"application/x-protobuf".equals(req.getHeader("content-type"))) {
        req.response().setStatusCode(404).end();
        return;
      }
      try {
        ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body.getBytes());
        for (ResourceSpans rs : export.getResourceSpansList()) {
          resourceServiceNames.add(attribute(rs.getResource().getAttributesList(), "service.name").getStringValue());
          for (ScopeSpans ss : rs.getScopeSpansList()) spans.addAll(ss.getSpansList());
        }
        req.response().putHeader("content-type", "application/x-protobuf")
            .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      } catch (Exception e) {
        req.response().setStatusCode(400).end();
      }
    })).listen(0, "127.0.0.1"));
    upstream = new MockOpenAiServer(vertx);
    GatewayConfig c = GatewayConfig.defaults()
        .withProviders(List.of(ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o"))))
        .withMasterKey(TestGateway.MASTER_KEY).withStorageUrl(TestGateway.tempDatabase());
    c = c.withServer(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), 1000));
    gateway = Junction.create(c, Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + receiver.actualPort(),
        "OTEL_SERVICE_NAME", "junction-under-test",
        "OTEL_BSP_SCHEDULE_DELAY", "50"));
    MockOpenAiServer.await(gateway.start());
  }

  @AfterAll
  static void stop() {
    MockOpenAiServer.await(gateway.stop());
    upstream.close();
    MockOpenAiServer.await(receiver.close());
    vertx.close();
  }

  static int chat(String traceparent) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    if (traceparent != null) b.header("traceparent", traceparent);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  static AnyValue attribute(List<KeyValue> attrs, String key) {
    return attrs.stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue).findFirst()
        .orElseThrow(() -> new AssertionError("no attribute " + key + " in " + attrs));
  }

  static String hex(com.google.protobuf.ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }

  /** The spans of {@code traceId} once {@code count} arrived (the exporter batches), polled for at most 10 s. */
  static List<Span> trace(String traceId, Predicate<List<Span>> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Span> got;
    do {
      got = spans.stream().filter(s -> hex(s.getTraceId()).equals(traceId)).toList();
      if (done.test(got)) return got;
      Thread.sleep(25);
    } while (System.nanoTime() < deadline);
    return got;
  }

  @Test
  void aRequestUnderTheCallersTraceHasOneSpanAndOneChildPerAttempt() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String callerSpan = "00f067aa0ba902b7";
    int before = upstream.received.size();
    upstream.enqueue(Reply.error(500, "Upstream fell over"));
    assertThat(chat("00-" + traceId + "-" + callerSpan + "-01")).isEqualTo(200);

    List<String> sent = upstream.received.subList(before, upstream.received.size()).stream()
        .map(r -> r.headers().get("traceparent")).toList();
    assertThat(sent).hasSize(2);
    assertThat(sent).allMatch(tp -> tp.matches("00-" + traceId + "-[0-9a-f]{16}-01"));
    assertThat(sent.get(0)).isNotEqualTo(sent.get(1));

    List<Span> got = trace(traceId, s -> s.size() == 3);
    assertThat(got).hasSize(3);
    Span server = got.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
    assertThat(hex(server.getParentSpanId())).isEqualTo(callerSpan);
    assertThat(server.getName()).isEqualTo("chat gpt-4o");
    assertThat(attribute(server.getAttributesList(), "gen_ai.operation.name").getStringValue()).isEqualTo("chat");
    assertThat(attribute(server.getAttributesList(), "gen_ai.provider.name").getStringValue()).isEqualTo("openai");
    assertThat(attribute(server.getAttributesList(), "gen_ai.request.model").getStringValue()).isEqualTo("gpt-4o");
    assertThat(attribute(server.getAttributesList(), "gen_ai.response.model").getStringValue()).isEqualTo("gpt-4o");
    assertThat(attribute(server.getAttributesList(), "gen_ai.usage.input_tokens").getIntValue()).isEqualTo(12);
    assertThat(attribute(server.getAttributesList(), "gen_ai.usage.output_tokens").getIntValue()).isEqualTo(5);
    assertThat(server.getEndTimeUnixNano()).isGreaterThan(server.getStartTimeUnixNano());

    List<Span> attempts = got.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
        .sorted(java.util.Comparator.comparingLong(s -> attribute(s.getAttributesList(), "junction.attempt").getIntValue()))
        .toList();
    assertThat(attempts).hasSize(2);
    for (int i = 0; i < 2; i++) {
      Span a = attempts.get(i);
      assertThat(hex(a.getParentSpanId())).as("under the request span").isEqualTo(hex(server.getSpanId()));
      assertThat(sent.get(i)).as("the id sent upstream is the attempt span's").contains("-" + hex(a.getSpanId()) + "-");
      assertThat(a.getName()).isEqualTo("chat gpt-4o");
      assertThat(attribute(a.getAttributesList(), "gen_ai.provider.name").getStringValue()).isEqualTo("openai");
      assertThat(a.getStartTimeUnixNano()).isGreaterThanOrEqualTo(server.getStartTimeUnixNano());
    }
    assertThat(attribute(attempts.get(0).getAttributesList(), "http.response.status_code").getIntValue()).isEqualTo(500);
    assertThat(attempts.get(0).getStatus().getCode()).isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(attribute(attempts.get(1).getAttributesList(), "http.response.status_code").getIntValue()).isEqualTo(200);
    assertThat(resourceServiceNames).contains("junction-under-test");
  }

  @Test
  void withoutATraceparentARequestStartsItsOwnTrace() throws Exception {
    int before = upstream.received.size();
    assertThat(chat(null)).isEqualTo(200);
    String tp = upstream.received.get(before).headers().get("traceparent");
    assertThat(tp).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    String traceId = tp.substring(3, 35);
    List<Span> got = trace(traceId, s -> s.size() == 2);
    Span server = got.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
    assertThat(server.getParentSpanId().isEmpty()).as("a root span").isTrue();
  }

  @Test
  void anUnsampledCallerIsPassedOnButNotExported() throws Exception {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    int before = upstream.received.size();
    assertThat(chat("00-" + traceId + "-b7ad6b7169203331-00")).isEqualTo(200);
    assertThat(upstream.received.get(before).headers().get("traceparent")).matches("00-" + traceId + "-[0-9a-f]{16}-00");
    // A sampled request after it is exported; by then the unsampled one would have been too.
    String later = "11111111111111111111111111111111";
    assertThat(chat("00-" + later + "-b7ad6b7169203331-01")).isEqualTo(200);
    assertThat(trace(later, s -> s.size() == 2)).hasSize(2);
    assertThat(trace(traceId, s -> true)).isEmpty();
  }

  @Test
  void malformedTraceparentsAreIgnored() {
    assertThat(Tracing.parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).containsExactly(
        "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "01");
    assertThat(Tracing.parseTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
    assertThat(Tracing.parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isNull();
    assertThat(Tracing.parseTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isNull();
    assertThat(Tracing.parseTraceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isNull();
    assertThat(Tracing.parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")).isNull();
    assertThat(Tracing.parseTraceparent("garbage")).isNull();
  }

  @Test
  void withNoEndpointTracingIsOffAndNothingGoesUpstream() throws Exception {
    assertThat(Tracing.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "x"))).isSameAs(Tracing.NOOP);
    assertThat(Tracing.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1", "OTEL_SDK_DISABLED", "true")))
        .isSameAs(Tracing.NOOP);
    assertThat(Tracing.NOOP.start("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "chat")).isNull();

    MockOpenAiServer plain = new MockOpenAiServer(vertx);
    try (TestGateway untraced = TestGateway.withProviders(
        ProviderConfig.simple("openai", "openai", plain.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o")))) {
      assertThat(untraced.junction.data().telemetry().tracing()).isSameAs(Tracing.NOOP);
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(untraced.url() + "/v1/chat/completions"))
          .header("authorization", "Bearer " + TestGateway.MASTER_KEY)
          .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(plain.last().headers().get("traceparent")).isNull();
    } finally {
      plain.close();
    }
  }
}
