package io.junction.store;

import io.junction.protocol.GatewayException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Query-string instants: ISO-8601 instant ({@code 2026-11-01T12:00:00Z}), date (UTC midnight), or epoch millis. */
final class TimeParam {
  private TimeParam() {}

  /** Epoch millis of {@code value}, or null when absent/blank; a 400 naming {@code param} when unreadable. */
  static Long parse(String param, String value) {
    if (value == null || value.isBlank()) return null;
    String v = value.strip();
    try {
      if (v.chars().allMatch(Character::isDigit)) return Long.parseLong(v);
      if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw GatewayException.invalid(param,
          "'" + param + "' must be an ISO-8601 instant (2026-11-01T00:00:00Z), a date (2026-11-01) or epoch milliseconds");
    }
  }
}
