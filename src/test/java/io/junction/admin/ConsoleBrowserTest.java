package io.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.junction.config.GatewayConfig;
import io.junction.config.ProviderConfig;
import io.junction.config.VirtualModelConfig;
import io.junction.testing.MockOpenAiServer;
import io.junction.testing.MockOpenAiServer.Reply;
import io.junction.testing.TestGateway;
import io.vertx.core.Vertx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's chromium + chromedriver; never a downloaded
 * browser) against a gateway with a mock upstream and real traffic. Skipped, with the reason, when
 * either binary is missing. With {@code -Djunction.screenshots=DIR} it also saves a PNG of every
 * page there ({@code scripts/console-screenshots.sh}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static Vertx vertx;
  static MockOpenAiServer upstream;
  static TestGateway gateway;
  static AdminHttp http;
  static WebDriver driver;
  static WebDriverWait wait;
  static Path screenshots;

  static String binary(String env, String... candidates) {
    String given = System.getenv(env);
    if (given != null && !given.isBlank()) return new File(given).canExecute() ? given : null;
    for (String c : candidates) if (new File(c).canExecute()) return c;
    return null;
  }

  @BeforeAll
  static void start() throws Exception {
    String chromium = binary("JUNCTION_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    String chromedriver = binary("JUNCTION_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    Assumptions.assumeTrue(chromium != null && chromedriver != null,
        "no Chromium and chromedriver (apt-get install chromium chromium-driver, or set JUNCTION_CHROMIUM and "
            + "JUNCTION_CHROMEDRIVER): console browser tests skipped");
    String dir = System.getProperty("junction.screenshots");
    if (dir != null && !dir.isBlank()) screenshots = Files.createDirectories(Path.of(dir));

    vertx = Vertx.vertx();
    upstream = new MockOpenAiServer(vertx);
    GatewayConfig c = GatewayConfig.defaults()
        .withProviders(List.of(
            ProviderConfig.simple("openai", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4o", "gpt-4o-mini")),
            ProviderConfig.simple("backup", "openai", upstream.baseUrl(), List.of(MockOpenAiServer.KEY), List.of("gpt-4.1"))))
        .withModels(List.of(new VirtualModelConfig("smart", "fallback",
            List.of(new VirtualModelConfig.Target("openai", "gpt-4o", 1), new VirtualModelConfig.Target("backup", "gpt-4.1", 1)), null)))
        .withMasterKey(TestGateway.MASTER_KEY).withStorageUrl(TestGateway.tempDatabase());
    gateway = new TestGateway(c.withServer(new GatewayConfig.Server("127.0.0.1", 0, c.server().maxBodyBytes(), 1000)));
    http = new AdminHttp(gateway);

    // Real traffic: successes on three models, a virtual-model call, an upstream 400, and last a
    // call retried after an upstream 500 (two attempts).
    for (String model : List.of("gpt-4o", "gpt-4o", "gpt-4o-mini", "gpt-4.1", "smart")) {
      assertThat(http.chat(model, TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
    }
    upstream.enqueue(Reply.error(400, "Bad request body"));
    assertThat(http.chat("gpt-4o", TestGateway.MASTER_KEY).statusCode()).isEqualTo(400);
    upstream.enqueue(Reply.error(500, "Upstream fell over"));
    assertThat(http.chat("gpt-4o", TestGateway.MASTER_KEY).statusCode()).isEqualTo(200);
    AdminHttp.poll(() -> http.get("/api/v1/usage?bucket=minute&from=" + (System.currentTimeMillis() - 300_000)),
        n -> n.get("data").findValues("requests").stream().mapToLong(JsonNode::asLong).sum() == 7);

    ChromeOptions options = new ChromeOptions().setBinary(chromium)
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
            "--lang=en-US", "--disable-extensions", "--no-first-run");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    // Pages re-render as their data arrives: an element found a moment ago may be replaced.
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  @AfterAll
  static void stop() {
    if (driver != null) driver.quit();
    if (gateway != null) gateway.close();
    if (upstream != null) upstream.close();
    if (vertx != null) vertx.close();
  }

  /** A console error the current test provokes on purpose (an API answer that is a 4xx by design). */
  String expectedError;

  /** No page may log an error to the browser console (a failed fetch, a script error, a CSP refusal). */
  @AfterEach
  void noConsoleErrors() {
    if (driver == null) return;
    String allowed = expectedError;
    List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> allowed == null || !m.contains(allowed))
        .toList();
    assertThat(severe).as("browser console errors").isEmpty();
  }

  WebElement visible(By by) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  void go(String page) {
    driver.get("about:blank"); // a fresh load even when only the #fragment would change
    driver.get(gateway.url() + "/ui/#/" + page);
    visible(By.cssSelector("main h1"));
  }

  void shot(String name) throws Exception {
    if (screenshots == null) return;
    Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  String text() {
    return driver.findElement(By.tagName("main")).getText();
  }

  @Test
  @Order(1)
  void signInRefusesAWrongKeyAndKeepsNothingInStorage() throws Exception {
    expectedError = "/api/v1/session - Failed to load resource: the server responded with a status of 401";
    driver.get(gateway.url() + "/ui/");
    WebElement key = visible(By.id("key"));
    shot("signin");
    key.sendKeys("jk-not-the-key");
    driver.findElement(By.cssSelector("form button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBe(By.id("key-error"), "That is not the master key."));
    assertThat(driver.manage().getCookieNamed(ConsoleSessions.COOKIE)).isNull();

    key.clear();
    key.sendKeys(TestGateway.MASTER_KEY);
    driver.findElement(By.cssSelector("form button[type=submit]")).click();
    visible(By.id("signout"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Requests"));
    org.openqa.selenium.Cookie cookie = driver.manage().getCookieNamed(ConsoleSessions.COOKIE);
    assertThat(cookie).isNotNull();
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    JavascriptExecutor js = (JavascriptExecutor) driver;
    assertThat(js.executeScript("return localStorage.length + sessionStorage.length")).isEqualTo(0L);
    assertThat((String) js.executeScript("return document.cookie")).as("HttpOnly: invisible to scripts").isEmpty();
  }

  @Test
  @Order(2)
  void everyPageRendersTheTraffic() throws Exception {
    go("overview");
    wait.until(d -> d.findElements(By.cssSelector(".stat b")).size() == 5
        && d.findElements(By.cssSelector(".stat b")).get(0).getText().equals("7"));
    assertThat(driver.findElements(By.cssSelector(".stat b")).get(1).getText()).as("errors").isEqualTo("1");
    assertThat(driver.findElements(By.cssSelector(".chart path.line"))).hasSizeGreaterThanOrEqualTo(5);
    shot("overview");
    new Select(driver.findElement(By.id("group"))).selectByValue("provider");
    wait.until(d -> d.findElements(By.cssSelector(".legend")).size() >= 3);
    assertThat(driver.findElement(By.cssSelector(".legend")).getText()).contains("openai").contains("backup");
    shot("overview-by-provider");

    go("providers");
    wait.until(d -> text().contains("backup"));
    assertThat(text()).contains("openai").contains("gpt-4o-mini").contains("healthy");
    WebElement openaiRow = driver.findElements(By.cssSelector("tbody tr")).stream()
        .filter(r -> r.getText().startsWith("openai")).findFirst().orElseThrow();
    openaiRow.findElement(By.xpath(".//button[text()='Test']")).click();
    wait.until(d -> openaiRow.findElement(By.cssSelector(".tip")).getText().startsWith("OK in"));
    shot("providers");

    go("models");
    wait.until(d -> text().contains("smart"));
    assertThat(text()).contains("openai/gpt-4o").contains("backup/gpt-4.1");
    shot("models");

    go("logs");
    wait.until(d -> d.findElements(By.cssSelector("tbody tr.clickable")).size() == 7);
    shot("logs");

    go("costs");
    WebElement total = visible(By.id("cost-total"));
    assertThat(total.getText()).startsWith("$").isNotEqualTo("$0.00");
    assertThat(text()).contains("By provider").contains("gpt-4o-mini");
    String href = driver.findElement(By.id("csv")).getAttribute("href");
    assertThat(href).startsWith("data:text/csv;charset=utf-8,");
    String csv = java.net.URLDecoder.decode(href.substring(href.indexOf(',') + 1), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(csv).startsWith("dimension,name,cost_usd\r\n").contains("provider,\"openai\",").contains("total,,");
    shot("costs");

    go("keys");
    visible(By.id("key-form"));
    shot("keys");
  }

  @Test
  @Order(3)
  void aKeyIsCreatedWithItsSecretShownOnceThenRevoked() throws Exception {
    go("keys");
    driver.findElement(By.id("k-name")).sendKeys("browser-made");
    driver.findElement(By.id("k-rpm")).sendKeys("30");
    driver.findElement(By.id("k-budget_usd")).sendKeys("5");
    driver.findElement(By.cssSelector("#key-form button[type=submit]")).click();
    String secret = visible(By.id("new-secret")).getText();
    assertThat(secret).startsWith("jk-");
    shot("keys-created");
    assertThat(http.chat("gpt-4o", secret).statusCode()).as("the shown secret works").isEqualTo(200);

    go("keys");
    wait.until(d -> text().contains("browser-made"));
    assertThat(driver.findElements(By.id("new-secret"))).as("shown once only").isEmpty();
    wait.until(d -> text().contains("1 / 30"));
    String id = http.get("/api/v1/keys").get("data").findValues("name").stream().anyMatch(n -> n.asText().equals("browser-made"))
        ? keyId("browser-made") : null;
    driver.findElement(By.cssSelector("button[data-key='" + id + "']")).click();
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    wait.until(d -> d.findElements(By.cssSelector("button[data-key='" + id + "']")).isEmpty());
    assertThat(text()).contains("revoked");
    assertThat(http.chat("gpt-4o", secret).statusCode()).as("revoked at once").isEqualTo(401);
  }

  static String keyId(String name) {
    for (JsonNode k : http.get("/api/v1/keys").get("data")) if (k.get("name").asText().equals(name)) return k.get("id").asText();
    throw new AssertionError("no key " + name);
  }

  @Test
  @Order(4)
  void aProviderIsEditedWithTheApisProblemsShownAtTheirFields() throws Exception {
    expectedError = "/api/v1/config/providers/backup - Failed to load resource: the server responded with a status of 400";
    go("providers");
    wait.until(d -> text().contains("backup"));
    WebElement row = driver.findElements(By.cssSelector("tbody tr")).stream()
        .filter(r -> r.getText().startsWith("backup")).findFirst().orElseThrow();
    row.findElement(By.xpath(".//button[text()='Edit']")).click();
    WebElement baseUrl = visible(By.id("pf-base_url"));
    baseUrl.clear();
    baseUrl.sendKeys("not a url");
    driver.findElement(By.id("pf-api_keys")).sendKeys(MockOpenAiServer.KEY);
    WebElement weight = driver.findElement(By.id("pf-weight"));
    weight.clear();
    weight.sendKeys("3");
    driver.findElement(By.cssSelector("#provider-form button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("pf-base_url-error"), "http:// or https://"));
    shot("providers-edit");

    baseUrl.clear();
    baseUrl.sendKeys(upstream.baseUrl());
    driver.findElement(By.cssSelector("#provider-form button[type=submit]")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("provider-form")));
    JsonNode p = http.get("/api/v1/providers/backup");
    assertThat(p.get("weight").asInt()).isEqualTo(3);
    assertThat(p.get("source").asText()).isEqualTo("api");
    assertThat(p.get("key_count").asInt()).isEqualTo(1);
    assertThat(http.chat("gpt-4.1", TestGateway.MASTER_KEY).statusCode()).as("still serves after the edit").isEqualTo(200);
  }

  @Test
  @Order(5)
  void logsFilterAndOneRequestOpensWithItsAttempts() throws Exception {
    go("logs");
    wait.until(d -> !d.findElements(By.cssSelector("tbody tr.clickable")).isEmpty());
    driver.findElement(By.id("f-status")).sendKeys("400");
    driver.findElement(By.cssSelector("#log-filters button[type=submit]")).click();
    wait.until(d -> d.findElements(By.cssSelector("tbody tr.clickable")).size() == 1);
    assertThat(driver.findElement(By.cssSelector("tbody tr.clickable")).getText()).contains("400").contains("gpt-4o");

    WebElement status = driver.findElement(By.id("f-status"));
    status.clear();
    status.sendKeys("200");
    new Select(driver.findElement(By.id("f-provider"))).selectByValue("openai");
    driver.findElement(By.cssSelector("#log-filters button[type=submit]")).click();
    wait.until(d -> {
      List<WebElement> shown = d.findElements(By.cssSelector("tbody tr.clickable"));
      return !shown.isEmpty() && shown.stream().allMatch(r -> {
        List<WebElement> cells = r.findElements(By.tagName("td"));
        return cells.get(1).getText().equals("200") && cells.get(2).getText().equals("openai");
      });
    });
    // The call retried after a 500 is the one row with two attempts.
    WebElement retried = driver.findElements(By.cssSelector("tbody tr.clickable")).stream()
        .filter(r -> r.findElements(By.tagName("td")).get(5).getText().equals("2")).findFirst().orElseThrow();
    retried.sendKeys(org.openqa.selenium.Keys.ENTER);
    wait.until(d -> d.findElements(By.cssSelector("main .panel:last-child tbody tr")).size() == 2);
    String detail = text();
    assertThat(detail).contains("Upstream attempts").contains("Upstream fell over");
    List<WebElement> attempts = driver.findElements(By.cssSelector("main .panel:last-child tbody tr"));
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).getText()).contains("500");
    assertThat(attempts.get(1).getText()).contains("200");
    shot("log-detail");
  }

  @Test
  @Order(6)
  void aPhoneSizedScreenAndSignOut() throws Exception {
    driver.manage().window().setSize(new Dimension(390, 844));
    go("overview");
    wait.until(d -> d.findElements(By.cssSelector(".chart path.line")).size() >= 5);
    Long overflow = (Long) ((JavascriptExecutor) driver).executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(overflow).as("no sideways scrolling on a phone").isLessThanOrEqualTo(0L);
    shot("overview-phone");
    driver.manage().window().setSize(new Dimension(1280, 900));

    // Dark by the system setting: the page follows prefers-color-scheme.
    ((ChromeDriver) driver).executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    go("overview");
    wait.until(d -> d.findElements(By.cssSelector(".chart path.line")).size() >= 5);
    assertThat(((JavascriptExecutor) driver).executeScript("return getComputedStyle(document.body).backgroundColor"))
        .isEqualTo("rgb(18, 20, 25)");
    shot("overview-dark");
    ((ChromeDriver) driver).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));

    driver.findElement(By.id("signout")).click();
    visible(By.id("key"));
    assertThat(http.call("GET", "/api/v1/session", null, null).statusCode()).isEqualTo(200);
    driver.navigate().refresh();
    visible(By.id("key"));
    assertThat(driver.manage().getCookieNamed(ConsoleSessions.COOKIE)).isNull();
  }
}
