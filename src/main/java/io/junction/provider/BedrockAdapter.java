package io.junction.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.protocol.ModelNames;
import io.junction.protocol.Protocol;
import io.junction.protocol.UpstreamCodec;
import io.junction.protocol.bedrock.BedrockCodec;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Amazon Bedrock through the Converse API, SigV4-signed. Keys are
 * {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]}; with none, the AWS default chain
 * ({@link AwsCredentialChain}) supplies them; the region comes from option
 * {@code region} (default us-east-1). A configured base_url replaces the regional host for both
 * the runtime calls and the model list (tests point it at a mock).
 */
public final class BedrockAdapter implements ProviderAdapter {

  public static final String DEFAULT_REGION = "us-east-1";
  /** The SigV4 signing name of both bedrock and bedrock-runtime. */
  static final String SERVICE = "bedrock";

  private final BedrockCodec codec = new BedrockCodec();
  private final Clock clock;
  private final AwsCredentialChain chain;

  public BedrockAdapter() { this(Clock.systemUTC(), AwsCredentialChain.defaultChain()); }

  /** {@code clock} stamps the signatures (tests fix it). */
  public BedrockAdapter(Clock clock) { this(clock, AwsCredentialChain.defaultChain()); }

  /** {@code chain} serves providers configured without keys. */
  BedrockAdapter(Clock clock, AwsCredentialChain chain) {
    this.clock = clock;
    this.chain = chain;
  }

  @Override
  public String type() { return "bedrock"; }

  @Override
  public Protocol protocol() { return Protocol.BEDROCK; }

  @Override
  public UpstreamCodec codec() { return codec; }

  @Override
  public String defaultBaseUrl() { return runtimeUrl(DEFAULT_REGION); }

  @Override
  public String baseUrl(ProviderConfig provider) {
    return configuredBase(provider) != null ? configuredBase(provider) : runtimeUrl(region(provider));
  }

  @Override
  public UpstreamCall chat(ProviderConfig provider, String apiKey, String model, boolean stream, Buffer body) {
    String url = baseUrl(provider) + "/model/" + ModelNames.pathSegment(model) + (stream ? "/converse-stream" : "/converse");
    return sign(UpstreamCall.post(url, body), provider, apiKey);
  }

  @Override
  public UpstreamCall listModels(ProviderConfig provider, String apiKey) {
    String base = configuredBase(provider) != null ? configuredBase(provider) : "https://bedrock." + region(provider) + ".amazonaws.com";
    return sign(UpstreamCall.get(base + "/foundation-models"), provider, apiKey);
  }

  @Override
  public List<String> parseModels(Buffer body) {
    JsonNode summaries = Json.parseUpstream(body).path("modelSummaries");
    if (!summaries.isArray()) throw GatewayException.badGateway("Bedrock model list has no modelSummaries array");
    List<String> ids = new ArrayList<>();
    for (JsonNode m : summaries) if (m.path("modelId").isTextual()) ids.add(m.get("modelId").asText());
    return ids;
  }

  /**
   * AWS refuses credentials with 403 (UnrecognizedClientException, InvalidSignatureException,
   * ExpiredTokenException): those are a 401 for the key pool. Any other 403 — above all
   * AccessDeniedException for a model the account has no access to — says nothing about the key.
   */
  @Override
  public int effectiveStatus(int status, Buffer body) {
    if (status != 403 || body == null || body.length() == 0) return status;
    String message;
    try {
      message = Json.parse(body).path("message").asText("");
    } catch (java.io.IOException | RuntimeException notJson) {
      return status;
    }
    for (String refusal : CREDENTIAL_REFUSALS) if (message.contains(refusal)) return 401;
    return status;
  }

  private static final List<String> CREDENTIAL_REFUSALS = List.of(
      "The security token included in the request is invalid",
      "The security token included in the request is expired",
      "The request signature we calculated does not match the signature you provided");

  /**
   * Signs with the provider's key; a provider without keys signs just before sending with the
   * default credential chain's (possibly refreshed) credentials.
   */
  private UpstreamCall sign(UpstreamCall call, ProviderConfig provider, String apiKey) {
    if (apiKey == null || apiKey.isEmpty()) {
      return call.withLateAuth(c -> chain.credentials().map(creds -> AwsSigV4.sign(c, creds, region(provider), SERVICE, clock.instant())));
    }
    return AwsSigV4.sign(call, AwsSigV4.Credentials.parse(apiKey), region(provider), SERVICE, clock.instant());
  }

  public static String region(ProviderConfig provider) {
    String r = provider.option("region");
    return r == null || r.isBlank() ? DEFAULT_REGION : r.trim();
  }

  private static String runtimeUrl(String region) { return "https://bedrock-runtime." + region + ".amazonaws.com"; }

  private static String configuredBase(ProviderConfig provider) {
    String b = provider.baseUrl();
    if (b == null || b.isBlank()) return null;
    return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
  }
}
