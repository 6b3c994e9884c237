package io.junction.provider;

import io.junction.config.ProviderConfig;
import io.junction.protocol.Protocol;
import io.junction.protocol.UpstreamCodec;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * What Junction needs to know to talk to one type of provider: its wire protocol and codec, its
 * URLs, its auth and quirks. One instance per type, stateless; per-provider settings come in
 * through {@link ProviderConfig}.
 */
public interface ProviderAdapter {

  /** Adapter type name used in config ({@code type: openai}). */
  String type();

  /** The wire protocol of the chat endpoint. Inbound requests in the same protocol take the fast path. */
  Protocol protocol();

  UpstreamCodec codec();

  /** Whether this provider serves {@code p} natively, so that a client speaking it is relayed, not translated. */
  default boolean serves(Protocol p, ProviderConfig c) { return p == protocol(); }

  /** The codec of protocol {@code p} when this provider {@link #serves} it. */
  default UpstreamCodec codec(Protocol p) { return codec(); }

  /** The call for a body in protocol {@code p}, which this provider {@link #serves} natively. */
  default UpstreamCall call(Protocol p, ProviderConfig c, String apiKey, String model, boolean stream, Buffer body) {
    return chat(c, apiKey, model, stream, body);
  }

  /** Base URL used when the config gives none. */
  String defaultBaseUrl();

  /** The chat call for an already-encoded body, auth included. */
  UpstreamCall chat(ProviderConfig provider, String apiKey, String model, boolean stream, Buffer body);

  /** The embeddings call for an OpenAI-shaped body, or null when the provider has none. */
  default UpstreamCall embeddings(ProviderConfig provider, String apiKey, Buffer body) { return null; }

  /**
   * The token-count call for a body built by the provider's codec, or null when the provider has
   * no count endpoint (then {@link io.junction.protocol.TokenEstimator} estimates).
   */
  default UpstreamCall countTokens(ProviderConfig provider, String apiKey, String model, Buffer body) { return null; }

  /** The model-list call (discovery and health probes; never billed). */
  UpstreamCall listModels(ProviderConfig provider, String apiKey);

  /** Model ids from the model-list answer. */
  List<String> parseModels(Buffer body);

  /** Base URL from config or the default, without a trailing slash. */
  default String baseUrl(ProviderConfig provider) {
    String b = provider.baseUrl() == null || provider.baseUrl().isBlank() ? defaultBaseUrl() : provider.baseUrl();
    return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
  }

  /**
   * The status an upstream error means, for retry and key-pool decisions (the client still sees
   * the upstream's own status). 401 means the upstream refused the key itself and is the only
   * status that takes a key out of its pool; providers that report a bad key otherwise (Gemini's
   * 400 API_KEY_INVALID, AWS's credential 403s) translate it here, from the structured parts of
   * the answer that a client's request text cannot reach.
   */
  default int effectiveStatus(int status, Buffer body) { return status; }
}
