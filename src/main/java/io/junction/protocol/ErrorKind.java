package io.junction.protocol;

/** Gateway-level error categories; each inbound codec maps them to its own error type names. */
public enum ErrorKind {
  INVALID_REQUEST(400),
  AUTHENTICATION(401),
  PERMISSION(403),
  NOT_FOUND(404),
  REQUEST_TOO_LARGE(413),
  RATE_LIMIT(429),
  API_ERROR(500),
  BAD_GATEWAY(502),
  OVERLOADED(503),
  TIMEOUT(504);

  public final int defaultStatus;

  ErrorKind(int defaultStatus) { this.defaultStatus = defaultStatus; }

  /** The kind an HTTP status most likely means (used for upstream errors). */
  public static ErrorKind forStatus(int status) {
    return switch (status) {
      case 400, 405, 409, 415, 422 -> INVALID_REQUEST;
      case 401 -> AUTHENTICATION;
      case 402, 403 -> PERMISSION;
      case 404 -> NOT_FOUND;
      case 408, 504 -> TIMEOUT;
      case 413 -> REQUEST_TOO_LARGE;
      case 429 -> RATE_LIMIT;
      case 502 -> BAD_GATEWAY;
      case 503, 529 -> OVERLOADED;
      default -> status >= 500 ? API_ERROR : INVALID_REQUEST;
    };
  }
}
