package io.junction.protocol;

/**
 * An error to report to the client in its own protocol's shape. {@code code} is a machine code
 * such as {@code model_not_found}; {@code param} names the offending field when there is one.
 * {@code upstreamBody}, when set, is the upstream's own error body, relayed as-is when the client
 * speaks the upstream's protocol.
 */
public class GatewayException extends RuntimeException {
  public final ErrorKind kind;
  public final int status;
  public final String code;
  public final String param;
  public transient io.vertx.core.buffer.Buffer upstreamBody;
  public Protocol upstreamProtocol;
  /** Seconds to put in Retry-After, or -1. */
  public long retryAfterSeconds = -1;

  public GatewayException(ErrorKind kind, int status, String code, String param, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.param = param;
  }

  public GatewayException(ErrorKind kind, String message) { this(kind, kind.defaultStatus, null, null, message); }

  public static GatewayException invalid(String param, String message) {
    return new GatewayException(ErrorKind.INVALID_REQUEST, 400, "invalid_request", param, message);
  }

  public static GatewayException modelNotFound(String model) {
    return new GatewayException(ErrorKind.NOT_FOUND, 404, "model_not_found", "model",
        "The model '" + model + "' does not exist or no provider serves it");
  }

  public static GatewayException badGateway(String message) {
    return new GatewayException(ErrorKind.BAD_GATEWAY, 502, "bad_gateway", null, message);
  }
}
