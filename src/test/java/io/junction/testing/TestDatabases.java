package io.junction.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/** JDBC URLs for store tests: a temp SQLite file, or a fresh schema in the PostgreSQL of JUNCTION_TEST_PG_URL. */
public final class TestDatabases {
  public static final String PG_ENV = "JUNCTION_TEST_PG_URL";

  private TestDatabases() {}

  public static String sqlite(Path dir) {
    return "jdbc:sqlite:" + dir.resolve("junction-test.db");
  }

  /** The PostgreSQL base URL, or skips the calling test with the reason when the variable is unset. */
  public static String postgresBaseUrl() {
    String url = System.getenv(PG_ENV);
    Assumptions.assumeTrue(url != null && !url.isBlank(),
        PG_ENV + " is not set (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres): PostgreSQL tests skipped");
    return url;
  }

  /** Creates a uniquely named schema and returns a URL whose current schema it is. */
  public static String newPostgresSchema(String baseUrl, String[] createdName) throws SQLException {
    String schema = "junction_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    createdName[0] = schema;
    return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  public static void dropPostgresSchema(String baseUrl, String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(baseUrl); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
