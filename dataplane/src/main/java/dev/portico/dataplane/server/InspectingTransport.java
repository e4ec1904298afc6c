package dev.portico.dataplane.server;

import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.vertx.core.transport.Transport;
import java.util.List;

/**
 * Vert.x's NIO transport, except that every accepted connection starts with a {@link
 * FramingInspector} in its pipeline, before Vert.x adds its HTTP decoder: the only point where the
 * first bytes of a connection can be seen, as Vert.x announces HTTP/1 connections (with h2c
 * enabled) only after their first request head is decoded. Build the data plane's Vert.x with it:
 * {@code Vertx.builder().withTransport(new InspectingTransport()).build()}.
 */
public final class InspectingTransport implements Transport {
  /** The largest header block a DataPlane may allow; listeners' own limits are the decoder's. */
  static final int MAX_HEAD_BYTES = 1024 * 1024;

  static final String NAME = "portico-framing";

  private final io.vertx.core.spi.transport.Transport nio = Transport.NIO.implementation();

  @Override
  public String name() {
    return "nio+framing";
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Throwable unavailabilityCause() {
    return null;
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return new io.vertx.core.spi.transport.Transport() {
      @Override
      public io.netty.channel.IoHandlerFactory ioHandlerFactory() {
        return nio.ioHandlerFactory();
      }

      @Override
      public io.netty.channel.socket.DatagramChannel datagramChannel() {
        return nio.datagramChannel();
      }

      @Override
      public io.netty.channel.socket.DatagramChannel datagramChannel(
          io.netty.channel.socket.InternetProtocolFamily family) {
        return nio.datagramChannel(family);
      }

      @Override
      public ChannelFactory<? extends io.netty.channel.Channel> channelFactory(
          boolean domainSocket) {
        return nio.channelFactory(domainSocket);
      }

      @Override
      public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        if (domainSocket) {
          return nio.serverChannelFactory(true);
        }
        return InspectedServerChannel::new;
      }
    };
  }

  /** Adds the inspector to each accepted connection before the server's initializer runs. */
  static final class InspectedServerChannel extends NioServerSocketChannel {
    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
      int from = buf.size();
      int n = super.doReadMessages(buf);
      for (int i = from; i < buf.size(); i++) {
        if (buf.get(i) instanceof SocketChannel child) {
          child.pipeline().addFirst(NAME, new FramingInspector(MAX_HEAD_BYTES));
        }
      }
      return n;
    }
  }
}
