package io.keyline.gateway.http;

import io.keyline.gateway.maintenance.MaintenanceService;
import io.keyline.gateway.metrics.NodeMetrics;
import io.keyline.replication.Deadlines;
import io.keyline.replication.RaftNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * etcd's HTTP endpoints on the client port: {@code /health} (leader present and a linearizable
 * read completes, 503 otherwise), {@code /version} and {@code /metrics}.
 */
public final class HttpEndpoints extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final long HEALTH_READ_TIMEOUT_MS = 1000;

    private final RaftNode raft;
    private final NodeMetrics metrics;

    public HttpEndpoints(RaftNode raft, NodeMetrics metrics) {
        this.raft = raft;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        switch (path) {
            case "/health" -> health(ctx);
            case "/version" -> send(ctx, HttpResponseStatus.OK, "application/json",
                    "{\"etcdserver\":\"" + MaintenanceService.ETCD_VERSION + "\",\"etcdcluster\":\""
                            + MaintenanceService.ETCD_CLUSTER_VERSION + "\"}");
            case "/metrics" -> send(ctx, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.render());
            default -> send(ctx, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "404 page not found\n");
        }
    }

    private void health(ChannelHandlerContext ctx) {
        if (!raft.hasLeader()) {
            sendHealth(ctx, false, "RAFT NO LEADER");
            return;
        }
        Deadlines.within(raft.readBarrier(), HEALTH_READ_TIMEOUT_MS, TimeUnit.MILLISECONDS).whenComplete((ok, error) ->
                sendHealth(ctx, error == null, error == null ? "" : "QGET ERROR:" + error.getMessage()));
    }

    private static void sendHealth(ChannelHandlerContext ctx, boolean healthy, String reason) {
        send(ctx, healthy ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json",
                "{\"health\":\"" + healthy + "\",\"reason\":\"" + reason.replace("\"", "'") + "\"}");
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, String contentType, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
