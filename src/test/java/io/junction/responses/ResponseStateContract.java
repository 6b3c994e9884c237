package io.junction.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.junction.protocol.GatewayException;
import io.junction.protocol.Json;
import io.junction.responses.ResponsesState.Prepared;
import io.junction.responses.ResponsesState.Viewer;
import io.junction.store.Store;
import io.junction.testing.MockUpstreamBase;
import io.junction.testing.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stored responses, continuation and retention, run against every supported database by the subclasses. */
abstract class ResponseStateContract {
  static final Viewer ALICE = new Viewer("vk_alice", false);
  static final Viewer BOB = new Viewer("vk_bob", false);
  static final Viewer MASTER = new Viewer("master", true);

  Store store;
  MutableClock clock;
  ResponsesState state;
  Vertx vertx;
  Context context;

  abstract String freshDatabaseUrl() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = Store.open(freshDatabaseUrl());
    clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    state = new ResponsesState(store.responses, 30, clock);
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void close() {
    MockUpstreamBase.await(vertx.close());
    store.close();
  }

  static ObjectNode json(String s) {
    try {
      return (ObjectNode) Json.parse(s);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Answers {@code body} as {@code viewer} with one assistant message (and a reasoning item), stored. */
  String turn(ObjectNode body, Viewer viewer, String answer, String id) {
    Prepared p = MockUpstreamBase.await(state.prepare(body, viewer, context));
    ObjectNode response = json("""
        {"id":"%s","object":"response","status":"completed","model":"m","output":[
          {"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"private"}]},
          {"id":"rs_2","type":"reasoning","summary":[],"encrypted_content":"ENC"},
          {"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"%s","annotations":[]}]}]}
        """.formatted(id, answer));
    MockUpstreamBase.await(state.save(p, response, context));
    return id;
  }

  @Test
  void continuationSplicesTheEarlierTurnsIntoTheInput() {
    turn(json("{\"model\":\"m\",\"input\":\"first\"}"), ALICE, "one", "resp_1");
    Prepared p = MockUpstreamBase.await(state.prepare(json("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"second\"}],"
        + "\"previous_response_id\":\"resp_1\",\"instructions\":\"be brief\"}"), ALICE, context));
    assertThat(p.body().has("previous_response_id")).isFalse();
    assertThat(p.body().path("instructions").asText()).isEqualTo("be brief");
    JsonNode input = p.body().path("input");
    // The first question, the answer's verifiable reasoning (encrypted) and message, then the new question;
    // reasoning without encrypted content stays out (no upstream can verify it).
    assertThat(input).extracting(i -> i.path("type").asText("message") + ":" + i.path("role").asText(""))
        .containsExactly("message:user", "reasoning:", "message:assistant", "message:user");
    assertThat(input.get(1).path("encrypted_content").asText()).isEqualTo("ENC");
    assertThat(input.get(0).has("id")).as("ids of the gateway's own making stay home").isFalse();
    assertThat(input.get(2).has("status")).isFalse();
    turn(p.body(), ALICE, "two", "resp_2");

    // A chain: the third turn sees both earlier ones.
    Prepared third = MockUpstreamBase.await(state.prepare(json("{\"model\":\"m\",\"input\":\"third\",\"previous_response_id\":\"resp_2\"}"),
        ALICE, context));
    assertThat(third.body().path("input")).hasSize(7);
    JsonNode stored = Json.MAPPER.valueToTree(MockUpstreamBase.await(state.get("resp_2", ALICE, context)).orElseThrow());
    assertThat(stored.path("model").asText()).isEqualTo("m");
  }

  @Test
  void statelessRequestsAreLeftAlone() {
    ObjectNode body = json("{\"model\":\"m\",\"input\":\"x\",\"store\":false}");
    Prepared p = MockUpstreamBase.await(state.prepare(body, ALICE, context));
    assertThat(p.stateless()).isTrue();
    assertThat(p.body()).isSameAs(body);
    MockUpstreamBase.await(state.save(p, json("{\"id\":\"resp_x\",\"output\":[]}"), context));
    assertThat(MockUpstreamBase.await(state.get("resp_x", MASTER, context))).isEmpty();
  }

  @Test
  void responsesAreVisibleToTheirKeyAndTheMasterOnly() {
    turn(json("{\"model\":\"m\",\"input\":\"x\"}"), ALICE, "a", "resp_a");
    assertThat(MockUpstreamBase.await(state.get("resp_a", ALICE, context))).isPresent();
    assertThat(MockUpstreamBase.await(state.get("resp_a", MASTER, context))).isPresent();
    assertThat(MockUpstreamBase.await(state.get("resp_a", BOB, context))).isEmpty();
    assertThat(MockUpstreamBase.await(state.delete("resp_a", BOB, context))).isFalse();
    assertThatThrownBy(() -> MockUpstreamBase.await(state.prepare(json("{\"model\":\"m\",\"input\":\"y\",\"previous_response_id\":\"resp_a\"}"),
        BOB, context))).hasRootCauseInstanceOf(GatewayException.class).rootCause().hasMessageContaining("resp_a");
    assertThat(MockUpstreamBase.await(state.delete("resp_a", ALICE, context))).isTrue();
    assertThat(MockUpstreamBase.await(state.get("resp_a", MASTER, context))).isEmpty();
  }

  @Test
  void retentionHidesThenPrunesOldResponses() {
    turn(json("{\"model\":\"m\",\"input\":\"x\"}"), ALICE, "a", "resp_old");
    clock.advanceMillis(Duration.ofDays(20).toMillis());
    turn(json("{\"model\":\"m\",\"input\":\"x\"}"), ALICE, "b", "resp_new");
    clock.advanceMillis(Duration.ofDays(11).toMillis());
    // 31 days after the first: past retention, gone for reads and continuations even before the prune.
    assertThat(MockUpstreamBase.await(state.get("resp_old", ALICE, context))).isEmpty();
    assertThat(MockUpstreamBase.await(state.get("resp_new", ALICE, context))).isPresent();
    assertThat(state.pruneNow().join()).isEqualTo(1);
    assertThat(state.pruneNow().join()).isZero();
    assertThat(MockUpstreamBase.await(state.get("resp_new", ALICE, context))).isPresent();
  }
}
