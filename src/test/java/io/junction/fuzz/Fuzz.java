package io.junction.fuzz;

/** What every fuzz target shares. */
final class Fuzz {
  private Fuzz() {}

  /**
   * Executions per target when fuzzing (JAZZER_FUZZ=1, as .ci/run does, one target per JVM);
   * without it each target only replays its seeds and kept crash inputs as a regression test.
   */
  static final long EXECUTIONS = 20_000;
}
