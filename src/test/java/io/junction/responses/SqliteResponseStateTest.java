package io.junction.responses;

import io.junction.testing.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteResponseStateTest extends ResponseStateContract {
  @TempDir Path dir;

  @Override String freshDatabaseUrl() { return TestDatabases.sqlite(dir); }
}
