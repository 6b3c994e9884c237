package io.junction.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junction.protocol.GatewayException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Expected values are AWS's published Signature V4 test suite (aws-sig-v4-test-suite, as kept in
 * awslabs/aws-c-auth tests/aws-signing-test-suite/v4): credentials AKIDEXAMPLE /
 * wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, us-east-1, service "service", 20150830T123600Z.
 */
class AwsSigV4Test {
  static final AwsSigV4.Credentials SUITE = new AwsSigV4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
  static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
  static final String SCOPE = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

  static String sign(UpstreamCall call, AwsSigV4.Credentials creds) {
    return AwsSigV4.sign(call, creds, "us-east-1", "service", SUITE_TIME).headers().get("authorization");
  }

  @Test
  void getVanilla() {
    UpstreamCall call = UpstreamCall.get("https://example.amazonaws.com/");
    assertThat(sign(call, SUITE)).isEqualTo("AWS4-HMAC-SHA256 " + SCOPE
        + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    assertThat(call.headers().get("x-amz-date")).isEqualTo("20150830T123600Z");
    assertThat(call.headers().contains("x-amz-security-token")).isFalse();
  }

  @Test
  void getVanillaWithSessionToken() {
    var creds = AwsSigV4.Credentials.parse(
        "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");
    UpstreamCall call = UpstreamCall.get("https://example.amazonaws.com/");
    assertThat(sign(call, creds)).isEqualTo("AWS4-HMAC-SHA256 " + SCOPE
        + "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
    assertThat(call.headers().get("x-amz-security-token"))
        .isEqualTo("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");
  }

  @Test
  void postWithBodyHashesThePayload() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().set("Content-Type", "application/x-www-form-urlencoded");
    UpstreamCall call = new UpstreamCall(HttpMethod.POST, "https://example.amazonaws.com/", h, Buffer.buffer("Param1=value1"));
    assertThat(sign(call, SUITE)).isEqualTo("AWS4-HMAC-SHA256 " + SCOPE
        + "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
  }

  @Test
  void queryParametersAreSorted() {
    UpstreamCall call = UpstreamCall.get("https://example.amazonaws.com/?Param2=value2&Param1=value1");
    assertThat(sign(call, SUITE)).endsWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  }

  @Test
  void pathIsUriEncoded() {
    // get-utf8 ("/ሴ") and get-space-unnormalized ("/example space/"): the path as on the request line.
    assertThat(authorizationFor("/\u1234")).endsWith("Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
    assertThat(authorizationFor("/example space/")).endsWith("Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741");
  }

  private static String authorizationFor(String rawPath) {
    var headers = new TreeMap<String, String>();
    headers.put("host", "example.amazonaws.com");
    headers.put("x-amz-date", "20150830T123600Z");
    return AwsSigV4.authorization("GET", rawPath, null, headers, new byte[0], SUITE, "us-east-1", "service", "20150830T123600Z");
  }

  @Test
  void encodedPathSegmentsAreEncodedAgain() {
    var headers = new TreeMap<String, String>();
    headers.put("host", "bedrock-runtime.us-east-1.amazonaws.com");
    String creq = AwsSigV4.canonicalRequest("POST", "/model/anthropic.claude-v2%3A1/converse", null, headers,
        "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(creq.split("\n")[1]).isEqualTo("/model/anthropic.claude-v2%253A1/converse");
  }

  @Test
  void headerValuesAreTrimmedAndSpacesCollapsed() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().set("My-Header1", " value1 ").set("My-Header2", " \"a   b   c\" ");
    UpstreamCall call = new UpstreamCall(HttpMethod.GET, "https://example.amazonaws.com/", h, null);
    // get-header-value-trim
    assertThat(sign(call, SUITE)).isEqualTo("AWS4-HMAC-SHA256 " + SCOPE
        + "SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
  }

  @Test
  void hostCarriesNonDefaultPorts() {
    assertThat(AwsSigV4.hostHeader(java.net.URI.create("http://127.0.0.1:8080/x"))).isEqualTo("127.0.0.1:8080");
    assertThat(AwsSigV4.hostHeader(java.net.URI.create("https://a.example:443/x"))).isEqualTo("a.example");
  }

  @Test
  void malformedCredentialsAreRejectedWithoutEchoingThem() {
    assertThatThrownBy(() -> AwsSigV4.Credentials.parse("only-one-part"))
        .isInstanceOf(GatewayException.class)
        .hasMessageNotContaining("only-one-part")
        .satisfies(e -> assertThat(((GatewayException) e).status).isEqualTo(401));
    assertThat(AwsSigV4.Credentials.parse("AKID:SECRET").sessionToken()).isNull();
    assertThat(AwsSigV4.Credentials.parse("AKID:SECRET").toString()).doesNotContain("SECRET");
  }
}
