package io.junction.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {
  @TempDir Path dir;

  @Override
  String freshDatabaseUrl() {
    return TestDatabases.sqlite(dir);
  }

  @Test
  void runsWithARollbackJournalAndOneConnection() {
    String mode = store.database.call(c -> {
      try (ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
        rs.next();
        return rs.getString(1);
      }
    }).join();
    assertThat(mode).isEqualToIgnoringCase("truncate");
    assertThat(store.database.vendor).isEqualTo(Database.Vendor.SQLITE);
  }

  @Test
  void reopeningKeepsDataAndDoesNotRemigrate() {
    store.logs.insert(List.of(row(T0, "openai", "gpt-4o", null, 200, 1))).join();
    store.close();
    store = Store.open(TestDatabases.sqlite(dir));
    assertThat(store.logs.query(LogQuery.latest(5)).join()).hasSize(1);
  }

  @Test
  void unsupportedUrlsAndUnreachableDatabasesFailWithOneLine() {
    assertThatThrownBy(() -> Store.open("jdbc:mysql://localhost/x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:sqlite:");
    assertThatThrownBy(() -> Store.open("jdbc:sqlite:" + dir.resolve("missing-dir/x.db")))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("cannot open database");
  }

  @Test
  void redactsQueryStringsThatMayHoldPasswords() {
    assertThat(Database.redact("jdbc:postgresql://h/db?user=u&password=secret")).isEqualTo("jdbc:postgresql://h/db?…");
  }
}
