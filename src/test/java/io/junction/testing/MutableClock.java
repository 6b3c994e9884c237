package io.junction.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand. */
public final class MutableClock extends Clock {
  private volatile long millis;

  public MutableClock(Instant start) { this.millis = start.toEpochMilli(); }

  public void advanceMillis(long ms) { millis += ms; }

  public void set(Instant t) { millis = t.toEpochMilli(); }

  @Override public long millis() { return millis; }

  @Override public Instant instant() { return Instant.ofEpochMilli(millis); }

  @Override public ZoneId getZone() { return ZoneOffset.UTC; }

  @Override public Clock withZone(ZoneId zone) { return this; }
}
