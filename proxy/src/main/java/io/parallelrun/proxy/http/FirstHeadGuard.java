package io.parallelrun.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.SslChannelProvider;
import io.vertx.core.net.impl.VertxHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Closes a client connection whose first request head has not arrived within the head timeout: the one deadline of
 * {@link ClientDeadlines} that Vert.x offers no hook for. With h2c enabled (its default, and clients such as gRPC
 * use it) a Vert.x server hands a connection to its connection handler only once it knows the protocol, and for
 * HTTP/1.1 that is after the first complete head, which a slowloris client never finishes.
 *
 * <p>So this adds a Netty handler first in every accepted channel's pipeline, through the one extension point
 * Vert.x 4 has for it, {@code HttpServerImpl.childHandler} (internal API: if a Vert.x upgrade changes it, the
 * compiler or {@code HostileClientTest} says so). The handler schedules a close on the channel's event loop and
 * removes itself once Vert.x has set the connection up (its {@code VertxHandler}, or Netty's HTTP/2 handler, is
 * in the pipeline); from then on {@link ClientDeadlines} keeps time with public API.
 */
public final class FirstHeadGuard extends ChannelInboundHandlerAdapter {
  private final long headMs;
  private ScheduledFuture<?> deadline;

  private FirstHeadGuard(long headMs) {
    this.headMs = headMs;
  }

  /** A server like {@code vertx.createHttpServer(options)} whose connections must send a first head in time. */
  public static HttpServer server(Vertx vertx, HttpServerOptions options, long headMs) {
    if (headMs <= 0) return vertx.createHttpServer(options);
    return new HttpServerImpl((VertxInternal) vertx, options) {
      @Override
      protected BiConsumer<Channel, SslChannelProvider> childHandler(ContextInternal context, SocketAddress address,
          GlobalTrafficShapingHandler trafficShaping) {
        BiConsumer<Channel, SslChannelProvider> vertxSetup = super.childHandler(context, address, trafficShaping);
        return (channel, ssl) -> {
          channel.pipeline().addFirst("parallelrun-first-head", new FirstHeadGuard(headMs));
          vertxSetup.accept(channel, ssl);
        };
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline = ctx.executor().schedule(() -> {
      ctx.channel().close();
    }, headMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ctx.fireChannelRead(msg);
    // Vert.x sets the connection up while it reads (HTTP/1.1: at the end of the first head; h2c: after the preface).
    if (ctx.pipeline().get(VertxHandler.class) != null || ctx.pipeline().get(Http2ConnectionHandler.class) != null) {
      deadline.cancel(false);
      ctx.pipeline().remove(this);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    deadline.cancel(false);
    ctx.fireChannelInactive();
  }
}
