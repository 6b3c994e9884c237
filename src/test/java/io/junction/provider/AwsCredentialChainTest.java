package io.junction.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.config.DispatchMode;
import io.junction.config.ProviderConfig;
import io.junction.protocol.ChatResponse;
import io.junction.testing.MockBedrockServer;
import io.junction.testing.MockUpstreamBase;
import io.junction.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default credential chain, each source against real files and loopback mocks of STS and the container endpoint. */
class AwsCredentialChainTest {
  private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

  @TempDir Path dir;
  private Vertx vertx;
  private HttpServer server;
  /** Form bodies STS received, and Authorization headers the container endpoint received. */
  private final List<Map<String, String>> stsCalls = new CopyOnWriteArrayList<>();
  private final List<String> containerAuth = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (req.path().equals("/sts/")) {
        Map<String, String> form = form(body.toString());
        stsCalls.add(form);
        if (!"AssumeRoleWithWebIdentity".equals(form.get("Action")) || !"2011-06-15".equals(form.get("Version"))
            || !"jwt-from-the-cluster".equals(form.get("WebIdentityToken"))) {
          req.response().setStatusCode(400).end("<ErrorResponse><Error><Code>InvalidIdentityToken</Code>"
              + "<Message>Bad request</Message></Error></ErrorResponse>");
          return;
        }
        int n = stsCalls.size();
        req.response().putHeader("content-type", "text/xml").end("""
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <SubjectFromWebIdentityToken>system:serviceaccount:ai:junction</SubjectFromWebIdentityToken>
                <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/bedrock/junction</Arn>
                  <AssumedRoleId>AROAEXAMPLE:junction</AssumedRoleId></AssumedRoleUser>
                <Credentials>
                  <SessionToken>session-token-%d</SessionToken>
                  <SecretAccessKey>secret-%d</SecretAccessKey>
                  <Expiration>2026-11-27T09:00:00Z</Expiration>
                  <AccessKeyId>ASIAWEBIDENTITY%d</AccessKeyId>
                </Credentials>
                <Audience>sts.amazonaws.com</Audience>
              </AssumeRoleWithWebIdentityResult>
              <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
            </AssumeRoleWithWebIdentityResponse>""".formatted(n, n, n));
      } else if (req.path().equals("/container")) {
        containerAuth.add(req.getHeader("authorization"));
        if (!"pod-identity-token".equals(req.getHeader("authorization"))) {
          req.response().setStatusCode(401).end("{\"code\":\"AccessDenied\",\"message\":\"bad token\"}");
          return;
        }
        req.response().putHeader("content-type", "application/json").end("""
            {"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"container-secret","Token":"container-token",
             "Expiration":"2026-11-27T14:00:00Z","RoleArn":"arn:aws:iam::123456789012:role/bedrock"}""");
      } else {
        req.response().setStatusCode(404).end();
      }
    }));
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
  }

  @AfterEach
  void stop() { vertx.close().toCompletionStage().toCompletableFuture().join(); }

  private String origin() { return "http://127.0.0.1:" + server.actualPort(); }

  private static AwsSigV4.Credentials get(AwsCredentialChain chain) {
    return chain.credentials().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void environmentComesFirst() {
    Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIAENV", "AWS_SECRET_ACCESS_KEY", "env-secret",
        "AWS_SESSION_TOKEN", "env-token", "AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent", "AWS_ROLE_ARN", "arn:x");
    AwsCredentialChain chain = new AwsCredentialChain(env, Clock.systemUTC());
    assertThat(get(chain)).isEqualTo(new AwsSigV4.Credentials("AKIAENV", "env-secret", "env-token"));
    assertThat(chain.source()).isEqualTo("environment");
  }

  @Test
  void webIdentityIsExchangedAtStsSignsARealCallAndIsRefreshedBeforeItExpires() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "jwt-from-the-cluster\n");
    MutableClock clock = new MutableClock(NOW);
    AwsCredentialChain chain = new AwsCredentialChain(Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
        "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/bedrock", "AWS_ROLE_SESSION_NAME", "junction",
        "AWS_ENDPOINT_URL_STS", origin() + "/sts", "HOME", dir.toString()), clock);

    AwsSigV4.Credentials first = get(chain);
    assertThat(first).isEqualTo(new AwsSigV4.Credentials("ASIAWEBIDENTITY1", "secret-1", "session-token-1"));
    assertThat(stsCalls).hasSize(1);
    assertThat(stsCalls.get(0)).containsEntry("RoleArn", "arn:aws:iam::123456789012:role/bedrock")
        .containsEntry("RoleSessionName", "junction");

    // A keyless Bedrock provider signs with them just before sending; the mock checks the signature.
    BedrockAdapter adapter = new BedrockAdapter(Clock.systemUTC(), chain);
    try (MockBedrockServer bedrock = MockBedrockServer.start(vertx, first, "us-west-2")) {
      bedrock.answer(new ChatResponse());
      ProviderConfig cfg = new ProviderConfig("bedrock", "bedrock", null, bedrock.baseUrl(), List.of(), DispatchMode.POOLED,
          1, List.of(), 30_000, 5_000, 30_000, 30_000, 0, Map.of(), true, Map.of("region", "us-west-2"));
      Buffer body = adapter.codec().encodeRequest(BedrockAdapterTest.question(), "anthropic.claude-sonnet-4-5-20250929-v1:0");
      UpstreamCall call = adapter.chat(cfg, null, "anthropic.claude-sonnet-4-5-20250929-v1:0", false, body);
      assertThat(call.headers().contains("authorization")).as("not signed before the credentials are known").isFalse();
      UpstreamCall ready = call.resolved().toCompletionStage().toCompletableFuture().join();
      assertThat(MockUpstreamBase.send(vertx, ready).status()).isEqualTo(200);
      assertThat(bedrock.last().headers().get("x-amz-security-token")).isEqualTo("session-token-1");
    }

    clock.set(Instant.parse("2026-11-27T08:54:00Z")); // 6 minutes left: cached
    assertThat(get(chain)).isEqualTo(first);
    assertThat(stsCalls).hasSize(1);
    clock.set(Instant.parse("2026-11-27T08:56:00Z")); // 4 minutes left: refreshed
    assertThat(get(chain).accessKeyId()).isEqualTo("ASIAWEBIDENTITY2");
    assertThat(stsCalls).hasSize(2);
  }

  @Test
  void sharedFilesByProfileCredentialsFileFirstThenConfig() throws Exception {
    Path credentials = Files.writeString(dir.resolve("credentials"), """
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = default-secret

        # a comment
        [dev]
        aws_access_key_id=AKIADEV
        aws_secret_access_key=dev-secret
        aws_session_token=dev-token
        """);
    Path config = Files.writeString(dir.resolve("config"), """
        [default]
        region = us-east-1
        [profile ops]
        aws_access_key_id = AKIAOPS
        aws_secret_access_key = ops-secret
        """);
    Map<String, String> env = new HashMap<>(Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
        "AWS_CONFIG_FILE", config.toString(), "HOME", dir.toString()));
    assertThat(get(new AwsCredentialChain(env, Clock.systemUTC())))
        .isEqualTo(new AwsSigV4.Credentials("AKIADEFAULT", "default-secret", null));
    env.put("AWS_PROFILE", "dev");
    assertThat(get(new AwsCredentialChain(env, Clock.systemUTC())))
        .isEqualTo(new AwsSigV4.Credentials("AKIADEV", "dev-secret", "dev-token"));
    env.put("AWS_PROFILE", "ops");
    assertThat(get(new AwsCredentialChain(env, Clock.systemUTC())))
        .isEqualTo(new AwsSigV4.Credentials("AKIAOPS", "ops-secret", null));
  }

  @Test
  void containerEndpointWithItsAuthorizationTokenFile() throws Exception {
    Path token = Files.writeString(dir.resolve("eks-token"), "pod-identity-token");
    AwsCredentialChain chain = new AwsCredentialChain(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", origin() + "/container",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token.toString(), "HOME", dir.toString()), Clock.systemUTC());
    assertThat(get(chain)).isEqualTo(new AwsSigV4.Credentials("ASIACONTAINER", "container-secret", "container-token"));
    assertThat(containerAuth).containsExactly("pod-identity-token");
    assertThat(chain.source()).isEqualTo("container");
  }

  @Test
  void noSourceIsAClearError() {
    AwsCredentialChain chain = new AwsCredentialChain(Map.of("HOME", dir.toString()), Clock.systemUTC());
    assertThatThrownBy(() -> get(chain)).hasMessageContaining("no AWS credentials");
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }
}
