package io.junction.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenTelemetry traces, configured from the standard {@code OTEL_*} variables by the SDK's
 * autoconfigure module, and active only when an OTLP endpoint is set ({@link #NOOP} otherwise).
 *
 * <p>What runs on the request path is {@link #start} (parse the incoming {@code traceparent},
 * pick a span id) and {@link Trace#attemptHeader} (the {@code traceparent} each upstream attempt
 * sends). Spans are built later, on this class's own thread, from the attempt and request events
 * with their real start and end times: one SERVER span per request and one CLIENT span per upstream
 * attempt under it, named and attributed after the GenAI semantic conventions. The span ids the
 * SDK records are the ones already sent upstream (a per-thread id hand-off), so an upstream that
 * traces too links its spans under the right attempt.
 */
public final class Tracing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
  /** Spans waiting to be built; beyond this they are dropped (and counted in the log), never blocking a request. */
  private static final int QUEUE = 10_000;

  /** Tracing off: {@link #start} answers null and nothing else runs. */
  public static final Tracing NOOP = new Tracing(null);

  /**
   * One request's trace: its trace id, the caller's span (if a valid {@code traceparent} came),
   * the request span's id and whether it is sampled.
   */
  public record Trace(String traceId, String parentSpanId, String spanId, boolean sampled, String operation,
      long startEpochNanos, long startNanoTime) {
    /** Now, on the epoch clock, measured from the request's start with the monotonic clock (sub-ms, never before the start). */
    long nowEpochNanos() {
      return startEpochNanos + (System.nanoTime() - startNanoTime);
    }

    /** The {@code traceparent} for upstream attempt {@code n}: same trace, the attempt's own span as parent. */
    public String attemptHeader(int n) {
      return "00-" + traceId + "-" + attemptSpanId(n) + (sampled ? "-01" : "-00");
    }

    /** Attempt span ids are derived from the request span's, so the events need not carry them. */
    String attemptSpanId(int n) {
      long mixed = mix(Long.parseUnsignedLong(spanId, 16) + 0x9E3779B97F4A7C15L * n);
      return hex16(mixed == 0 ? 1 : mixed);
    }
  }

  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final Sampler sampler;
  private final ThreadPoolExecutor worker;
  private final ThreadLocal<String[]> nextIds = new ThreadLocal<>();
  private volatile Function<String, String> providerNames = name -> null;

  private Tracing(AutoConfiguredOpenTelemetrySdk auto) {
    if (auto == null) {
      sdk = null;
      tracer = null;
      sampler = null;
      worker = null;
      return;
    }
    sdk = auto.getOpenTelemetrySdk();
    tracer = sdk.getTracer("io.junction.gateway");
    sampler = sdk.getSdkTracerProvider().getSampler();
    worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
        r -> Thread.ofPlatform().name("junction-tracing").daemon().unstarted(r),
        (r, ex) -> LOG.debug("tracing queue full: a span was dropped"));
  }

  /**
   * Tracing from {@code env} (the process environment in production): on when
   * {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} is set and
   * {@code OTEL_SDK_DISABLED} is not true. Every other {@code OTEL_*} variable (service name,
   * headers, protocol, sampler, resource attributes) applies as the SDK defines it; metrics and
   * logs stay off (the gateway's metrics are on {@code /metrics}).
   */
  public static Tracing fromEnvironment(Map<String, String> env) {
    boolean endpoint = notBlank(env.get("OTEL_EXPORTER_OTLP_ENDPOINT")) || notBlank(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
    if (!endpoint || "true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").strip())) return NOOP;
    Map<String, String> props = new HashMap<>();
    env.forEach((k, v) -> {
      if (k.startsWith("OTEL_")) props.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
    });
    // The specification's default; the SDK's own (grpc) would need a gRPC sender this jar leaves out.
    props.putIfAbsent("otel.exporter.otlp.protocol", "http/protobuf");
    props.put("otel.metrics.exporter", "none");
    props.put("otel.logs.exporter", "none");
    if (!props.containsKey("otel.service.name")) props.put("otel.service.name", "junction");
    Tracing[] self = new Tracing[1];
    AutoConfiguredOpenTelemetrySdk auto;
    try {
      auto = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesCustomizer(config -> props)
        .addTracerProviderCustomizer((b, config) -> b.setIdGenerator(new IdGenerator() {
          // On the tracing thread the ids come from the events; anywhere else (nothing else traces) at random.
          @Override public String generateSpanId() {
            String[] ids = self[0] == null ? null : self[0].nextIds.get();
            return ids != null && ids[1] != null ? ids[1] : IdGenerator.random().generateSpanId();
          }

          @Override public String generateTraceId() {
            String[] ids = self[0] == null ? null : self[0].nextIds.get();
            return ids != null && ids[0] != null ? ids[0] : IdGenerator.random().generateTraceId();
          }
        }))
        .disableShutdownHook()
        .build();
    } catch (RuntimeException e) {
      // A bad OTEL_* setting must not keep the gateway from serving; it runs untraced and says why.
      LOG.error("tracing off: the OTEL_* settings were refused: {}", e.getMessage());
      return NOOP;
    }
    self[0] = new Tracing(auto);
    LOG.info("tracing on: spans go to {} ({})", firstNonBlank(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
        env.get("OTEL_EXPORTER_OTLP_ENDPOINT")), env.getOrDefault("OTEL_EXPORTER_OTLP_PROTOCOL", "default protocol"));
    return self[0];
  }

  public boolean enabled() { return sdk != null; }

  /** How to name a provider (by its configured name) in {@code gen_ai.provider.name}. */
  public void describeProviders(Function<String, String> semconvName) {
    providerNames = semconvName;
  }

  /**
   * The trace of a new request ({@code operation}: {@code chat} or {@code embeddings}): under the
   * caller's span when {@code traceparent} is valid, else a new trace. Null when tracing is off.
   */
  public Trace start(String traceparent, String operation) {
    if (sdk == null) return null;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String spanId = hex16(nonZero(random));
    String[] parent = parseTraceparent(traceparent);
    java.time.Instant now = java.time.Instant.now();
    long epochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    long nanoTime = System.nanoTime();
    if (parent != null) return new Trace(parent[0], parent[1], spanId, parent[2].equals("01"), operation, epochNanos, nanoTime);
    String traceId = hex16(nonZero(random)) + hex16(random.nextLong());
    boolean sampled = sampler.shouldSample(Context.root(), traceId, operation, SpanKind.SERVER, Attributes.empty(), List.of())
        .getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
    return new Trace(traceId, null, spanId, sampled, operation, epochNanos, nanoTime);
  }

  /** Records attempt {@code e} of {@code trace}, which has just ended; returns at once. */
  public void attempt(Trace trace, AttemptEvent e) {
    if (trace == null || worker == null) return;
    long endNanos = trace.nowEpochNanos();
    worker.execute(() -> build(() -> {
      String provider = providerNames.apply(e.provider());
      SpanBuilder b = tracer.spanBuilder(trace.operation() + " " + e.model()).setSpanKind(SpanKind.CLIENT)
          .setParent(Context.root().with(Span.wrap(requestSpan(trace))))
          .setStartTimestamp(endNanos - TimeUnit.MICROSECONDS.toNanos(e.latencyMicros()), TimeUnit.NANOSECONDS)
          .setAttribute("gen_ai.operation.name", trace.operation())
          .setAttribute("gen_ai.provider.name", provider == null ? e.provider() : provider)
          .setAttribute("gen_ai.request.model", e.model())
          .setAttribute("junction.provider", e.provider())
          .setAttribute("junction.attempt", e.attempt());
      if (e.status() > 0) b.setAttribute("http.response.status_code", e.status());
      Span span = withIds(trace.traceId(), trace.attemptSpanId(e.attempt()), b);
      if (e.error() != null) {
        span.setStatus(StatusCode.ERROR, e.error());
        span.setAttribute("error.type", e.status() > 0 ? Integer.toString(e.status()) : "no_response");
      }
      span.end(endNanos, TimeUnit.NANOSECONDS);
    }));
  }

  /** Records the request span of {@code trace} from its finished event; returns at once. */
  public void request(Trace trace, RequestEvent e) {
    if (trace == null || worker == null) return;
    worker.execute(() -> build(() -> {
      long startNanos = trace.startEpochNanos();
      long endNanos = startNanos + TimeUnit.MICROSECONDS.toNanos(e.latencyMicros());
      Context parent = trace.parentSpanId() == null ? Context.root()
          : Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(trace.traceId(), trace.parentSpanId(),
              trace.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())));
      String provider = e.provider() == null ? null : providerNames.apply(e.provider());
      SpanBuilder b = tracer.spanBuilder(trace.operation() + " " + e.requestedModel()).setSpanKind(SpanKind.SERVER)
          .setParent(parent)
          .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
          .setAttribute("gen_ai.operation.name", trace.operation())
          .setAttribute("gen_ai.request.model", e.requestedModel())
          .setAttribute("http.response.status_code", e.status())
          .setAttribute("junction.request_id", e.requestId())
          .setAttribute("junction.inbound_protocol", e.inboundProtocol())
          .setAttribute("junction.attempts", e.attempts());
      if (e.provider() != null) {
        b.setAttribute("gen_ai.provider.name", provider == null ? e.provider() : provider);
        b.setAttribute("junction.provider", e.provider());
      }
      if (e.model() != null) b.setAttribute("gen_ai.response.model", e.model());
      if (e.usage() != null) {
        b.setAttribute("gen_ai.usage.input_tokens", e.usage().inputTokens());
        b.setAttribute("gen_ai.usage.output_tokens", e.usage().outputTokens());
      }
      if (e.ttftMicros() >= 0) b.setAttribute("junction.ttft_ms", e.ttftMicros() / 1000);
      Span span = withIds(trace.traceId(), trace.spanId(), b);
      if (e.status() >= 400) {
        span.setStatus(StatusCode.ERROR, e.error() == null ? "HTTP " + e.status() : e.error());
        span.setAttribute("error.type", Integer.toString(e.status()));
      }
      span.end(endNanos, TimeUnit.NANOSECONDS);
    }));
  }

  /** Exports what is queued and stops (blocking, up to 10 s). */
  @Override
  public void close() {
    if (sdk == null) return;
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sdk.getSdkTracerProvider().shutdown().join(5, TimeUnit.SECONDS);
  }

  private Span withIds(String traceId, String spanId, SpanBuilder b) {
    nextIds.set(new String[] {traceId, spanId});
    try {
      return b.startSpan();
    } finally {
      nextIds.remove();
    }
  }

  private static void build(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.debug("span not recorded: {}", e.toString());
    }
  }

  private static SpanContext requestSpan(Trace t) {
    return SpanContext.create(t.traceId(), t.spanId(), t.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
        TraceState.getDefault());
  }

  /** {traceId, parentSpanId, flags} of a valid version-00 W3C {@code traceparent}, else null. */
  static String[] parseTraceparent(String header) {
    if (header == null) return null;
    String h = header.strip();
    if (h.length() < 55 || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-') return null;
    String version = h.substring(0, 2);
    if (version.equals("ff") || !isHex(version) || (version.equals("00") && h.length() != 55)) return null;
    String traceId = h.substring(3, 35);
    String spanId = h.substring(36, 52);
    String flags = h.substring(53, 55);
    if (!isHex(traceId) || !isHex(spanId) || !isHex(flags)) return null;
    if (traceId.equals("0".repeat(32)) || spanId.equals("0".repeat(16))) return null;
    boolean sampled = (Integer.parseInt(flags, 16) & 1) == 1;
    return new String[] {traceId, spanId, sampled ? "01" : "00"};
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
  }

  /** The GenAI semantic conventions' name for a provider of this type and preset (theirs where one exists). */
  public static String semconvProvider(String type, String preset) {
    String key = preset != null ? preset : type;
    return switch (key == null ? "" : key) {
      case "gemini" -> "gcp.gemini";
      case "bedrock" -> "aws.bedrock";
      case "azure" -> "azure.ai.openai";
      case "mistral" -> "mistral_ai";
      case "xai" -> "x_ai";
      case "openai", "anthropic", "cohere", "groq", "deepseek", "perplexity" -> key;
      default -> type;
    };
  }

  private static long nonZero(ThreadLocalRandom r) {
    long v;
    do {
      v = r.nextLong();
    } while (v == 0);
    return v;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static String hex16(long v) {
    String s = Long.toHexString(v);
    return "0".repeat(16 - s.length()) + s;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static String firstNonBlank(String a, String b) {
    return notBlank(a) ? a : b;
  }
}
