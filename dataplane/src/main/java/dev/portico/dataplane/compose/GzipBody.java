package dev.portico.dataplane.compose;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;

/**
 * Decodes a gzip-encoded part body with Netty's zlib decoder, never past the part limit: a small
 * compressed body that inflates to gigabytes (a zip bomb) fails as too large, not out of memory.
 */
final class GzipBody {
  /** The decoded body would exceed the limit. */
  static final class TooLargeException extends Exception {
    TooLargeException() {
      super(null, null, false, false);
    }
  }

  private GzipBody() {}

  static boolean isGzip(String contentEncoding) {
    String e = contentEncoding.trim().toLowerCase(Locale.ROOT);
    return e.equals("gzip") || e.equals("x-gzip");
  }

  /** The encoding for a log line or problem detail: short and printable. */
  static String printable(String contentEncoding) {
    String e = contentEncoding.length() > 32 ? contentEncoding.substring(0, 32) : contentEncoding;
    return e.replaceAll("[^A-Za-z0-9._-]", "?");
  }

  /**
   * @throws TooLargeException when the decoded body is larger than {@code maxBytes}
   * @throws IllegalArgumentException when the body is not valid gzip
   */
  static Buffer decode(Buffer gzipped, long maxBytes) throws TooLargeException {
    int limit = (int) Math.min(Integer.MAX_VALUE - 1, maxBytes);
    // The decoder refuses to grow its output past maxAllocation, so limit + 1 bytes tell us the
    // body is too large without inflating the rest.
    EmbeddedChannel channel =
        new EmbeddedChannel(ZlibCodecFactory.newZlibDecoder(ZlibWrapper.GZIP, limit + 1));
    Buffer out = Buffer.buffer();
    try {
      channel.writeInbound(Unpooled.wrappedBuffer(gzipped.getBytes()));
      channel.finish();
      for (ByteBuf chunk = channel.readInbound(); chunk != null; chunk = channel.readInbound()) {
        try {
          if (out.length() + chunk.readableBytes() > limit) {
            throw new TooLargeException();
          }
          byte[] bytes = new byte[chunk.readableBytes()];
          chunk.readBytes(bytes);
          out.appendBytes(bytes);
        } finally {
          chunk.release();
        }
      }
      return out;
    } catch (DecoderException e) {
      if (String.valueOf(e.getMessage()).contains("maximum size")) {
        throw new TooLargeException();
      }
      throw new IllegalArgumentException("not valid gzip", e);
    } finally {
      channel.finishAndReleaseAll();
    }
  }
}
