package io.keyline.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Serves gRPC and plain HTTP/1.1 on one port, as etcd does on its client URL: the first bytes
 * of a connection decide. An HTTP/2 connection (the client preface starts with "PRI ") passes to
 * gRPC untouched; anything else gets the HTTP endpoints and gRPC's handlers are removed. Until
 * then gRPC's own outbound bytes (its settings frame) are held back, since an HTTP/1.1 client
 * must not see them.
 */
final class ProtocolSniffer extends ChannelDuplexHandler {
    private static final byte[] HTTP2_PREFACE_START = "PRI ".getBytes(StandardCharsets.US_ASCII);

    private record HeldWrite(Object msg, ChannelPromise promise) {}

    private final ChannelHandler grpcNegotiation;
    private final Supplier<ChannelHandler> httpEndpoints;
    private final List<HeldWrite> held = new ArrayList<>();
    private boolean flushRequested;
    private ByteBuf prefix;

    ProtocolSniffer(ChannelHandler grpcNegotiation, Supplier<ChannelHandler> httpEndpoints) {
        this.grpcNegotiation = grpcNegotiation;
        this.httpEndpoints = httpEndpoints;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.pipeline().addAfter(ctx.name(), null, grpcNegotiation);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        prefix = prefix == null ? in : ctx.alloc().compositeBuffer().addComponents(true, prefix, in);
        if (prefix.readableBytes() < HTTP2_PREFACE_START.length) {
            return;
        }
        boolean http2 = ByteBufUtil.equals(prefix, prefix.readerIndex(),
                io.netty.buffer.Unpooled.wrappedBuffer(HTTP2_PREFACE_START), 0, HTTP2_PREFACE_START.length);
        ByteBuf bytes = prefix;
        prefix = null;
        if (http2) {
            releaseHeldWrites(ctx);
        } else {
            switchToHttp1(ctx);
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(bytes);
    }

    private void releaseHeldWrites(ChannelHandlerContext ctx) {
        for (HeldWrite w : held) {
            ctx.write(w.msg(), w.promise());
        }
        held.clear();
        if (flushRequested) {
            ctx.flush();
        }
    }

    private void switchToHttp1(ChannelHandlerContext ctx) {
        for (HeldWrite w : held) {
            ReferenceCountUtil.release(w.msg());
            w.promise().trySuccess();
        }
        held.clear();
        List<String> after = new ArrayList<>();
        boolean seen = false;
        for (String name : ctx.pipeline().names()) {
            if (seen && ctx.pipeline().get(name) != null) {
                after.add(name);
            }
            seen |= name.equals(ctx.name());
        }
        after.forEach(name -> ctx.pipeline().remove(name));
        ctx.pipeline().addAfter(ctx.name(), null, new HttpServerCodec());
        ctx.pipeline().addLast(new HttpObjectAggregator(64 * 1024));
        ctx.pipeline().addLast(httpEndpoints.get());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        held.add(new HeldWrite(msg, promise));
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        flushRequested = true;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (prefix != null) {
            prefix.release();
            prefix = null;
        }
    }
}
