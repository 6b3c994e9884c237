package io.junction.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.junction.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs the store contract against PostgreSQL when JUNCTION_TEST_PG_URL is set (skipped otherwise), one schema per test. */
class PostgresStoreTest extends StoreContract {
  private String baseUrl;
  private final String[] schema = new String[1];

  @Override
  String freshDatabaseUrl() throws Exception {
    baseUrl = TestDatabases.postgresBaseUrl();
    return TestDatabases.newPostgresSchema(baseUrl, schema);
  }

  @AfterEach
  void dropSchema() throws Exception {
    if (store != null) store.close();
    store = null;
    if (schema[0] != null) TestDatabases.dropPostgresSchema(baseUrl, schema[0]);
  }

  @Test
  void usesThePostgresMigrations() {
    assertThat(store.database.vendor).isEqualTo(Database.Vendor.POSTGRESQL);
  }
}
