package io.junction.protocol.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Frame-level checks against AWS's own event-stream test vector (awslabs/aws-c-event-stream, message_deserializer_test.c). */
class EventStreamTest {

  /** "test_outgoing_application_one_compressed_header_pair_valid": content-type: application/json, payload {'foo':'bar'}. */
  static final byte[] AWS_VECTOR = bytes(
      0x00, 0x00, 0x00, 0x3D, 0x00, 0x00, 0x00, 0x20, 0x07, 0xFD, 0x83, 0x96,
      0x0C, 'c', 'o', 'n', 't', 'e', 'n', 't', '-', 't', 'y', 'p', 'e',
      0x07, 0x00, 0x10, 'a', 'p', 'p', 'l', 'i', 'c', 'a', 't', 'i', 'o', 'n', '/', 'j', 's', 'o', 'n',
      0x7b, 0x27, 0x66, 0x6f, 0x6f, 0x27, 0x3a, 0x27, 0x62, 0x61, 0x72, 0x27, 0x7d,
      0x8D, 0x9C, 0x08, 0xB1);

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
    return b;
  }

  @Test
  void decodesTheAwsVector() throws Exception {
    List<EventStream.Message> messages = new EventStream.Decoder().feed(Buffer.buffer(AWS_VECTOR));
    assertThat(messages).singleElement().satisfies(m -> {
      assertThat(m.headers()).containsExactlyEntriesOf(Map.of("content-type", "application/json"));
      assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("{'foo':'bar'}");
    });
  }

  @Test
  void encodesTheAwsVectorByteForByte() {
    Buffer encoded = EventStream.encode(Map.of("content-type", "application/json"), "{'foo':'bar'}".getBytes(StandardCharsets.UTF_8));
    assertThat(encoded.getBytes()).isEqualTo(AWS_VECTOR);
  }

  @Test
  void keepsAPartialFrameUntilItCompletes() throws Exception {
    EventStream.Decoder d = new EventStream.Decoder();
    assertThat(d.feed(Buffer.buffer(AWS_VECTOR).getBuffer(0, 30))).isEmpty();
    assertThat(d.hasPartialMessage()).isTrue();
    assertThat(d.feed(Buffer.buffer(AWS_VECTOR).getBuffer(30, AWS_VECTOR.length).appendBytes(AWS_VECTOR))).hasSize(2);
    assertThat(d.hasPartialMessage()).isFalse();
  }

  @Test
  void rejectsAHeaderRunningPastItsSection() {
    byte[] corrupt = AWS_VECTOR.clone();
    corrupt[27] = 0x7f; // string length far beyond the header section; CRCs recomputed so only the header is wrong
    Buffer reframed = Buffer.buffer();
    reframed.appendBytes(corrupt, 0, 8);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(corrupt, 0, 8);
    reframed.appendUnsignedInt(crc.getValue()).appendBytes(corrupt, 12, corrupt.length - 16);
    crc.reset();
    crc.update(reframed.getBytes());
    reframed.appendUnsignedInt(crc.getValue());
    assertThatThrownBy(() -> new EventStream.Decoder().feed(reframed))
        .isInstanceOf(EventStream.FramingException.class).hasMessageContaining("past the header section");
  }
}
