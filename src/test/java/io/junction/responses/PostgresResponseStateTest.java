package io.junction.responses;

import io.junction.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;

/** Against the PostgreSQL of JUNCTION_TEST_PG_URL, in a schema of its own per test; skipped with the reason when unset. */
class PostgresResponseStateTest extends ResponseStateContract {
  private String baseUrl;
  private final String[] schema = new String[1];

  @Override
  String freshDatabaseUrl() throws Exception {
    baseUrl = TestDatabases.postgresBaseUrl();
    return TestDatabases.newPostgresSchema(baseUrl, schema);
  }

  @AfterEach
  void dropSchema() throws Exception {
    if (schema[0] != null) TestDatabases.dropPostgresSchema(baseUrl, schema[0]);
  }
}
