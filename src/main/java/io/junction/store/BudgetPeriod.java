package io.junction.store;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * How long a virtual-key budget lasts before it starts again: never (a total), or a UTC calendar
 * day, ISO week (from Monday) or month — the periods a finance team reads invoices in.
 */
public enum BudgetPeriod {
  TOTAL, DAILY, WEEKLY, MONTHLY;

  /** The name in the API and the database. */
  public String id() { return name().toLowerCase(Locale.ROOT); }

  /** The period named {@code id}, or null. */
  public static BudgetPeriod of(String id) {
    for (BudgetPeriod p : values()) if (p.id().equals(id)) return p;
    return null;
  }

  /** Epoch ms at which the period containing {@code nowMs} began; 0 for a total. */
  public long startMs(long nowMs) {
    if (this == TOTAL) return 0;
    LocalDate day = Instant.ofEpochMilli(nowMs).atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate start = switch (this) {
      case DAILY -> day;
      case WEEKLY -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      default -> day.withDayOfMonth(1);
    };
    return start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** Epoch ms at which the period containing {@code nowMs} ends (the next one begins); Long.MAX_VALUE for a total. */
  public long endMs(long nowMs) {
    if (this == TOTAL) return Long.MAX_VALUE;
    LocalDate start = Instant.ofEpochMilli(startMs(nowMs)).atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate next = switch (this) {
      case DAILY -> start.plusDays(1);
      case WEEKLY -> start.plusWeeks(1);
      default -> start.plusMonths(1);
    };
    return next.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
