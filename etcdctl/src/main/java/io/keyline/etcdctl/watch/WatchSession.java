package io.keyline.etcdctl.watch;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.WatchCreateRequest;
import io.keyline.api.etcdserverpb.WatchProgressRequest;
import io.keyline.api.etcdserverpb.WatchRequest;
import io.keyline.api.etcdserverpb.WatchResponse;
import io.keyline.api.mvccpb.Event;
import io.keyline.etcdctl.CtlException;
import io.keyline.etcdctl.client.Connection;
import io.keyline.etcdctl.client.RpcErrors;
import io.keyline.etcdctl.output.GoText;
import io.keyline.etcdctl.output.Output;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One gRPC watch stream carrying every watch of the command, as the Go client multiplexes them.
 * Responses are handled on gRPC's callback thread, one at a time, so output never interleaves.
 * Lock order: none; the maps below are touched only under "this".
 */
final class WatchSession {
    // etcd's "require leader" metadata, which etcdctl's watches carry.
    private static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

    private final Output out;
    private final Map<String, String> env;
    private final StreamObserver<WatchRequest> requests;
    private final Deque<List<String>> pendingExec = new ArrayDeque<>();
    private final Map<Long, List<String>> execByWatch = new HashMap<>();
    private final CountDownLatch allClosed = new CountDownLatch(1);
    private volatile CtlException failure;
    private int open;

    WatchSession(Connection c, Output out, Map<String, String> env) {
        this.out = out;
        this.env = env;
        Metadata md = new Metadata();
        md.put(HAS_LEADER, "true");
        this.requests = c.watchAsync().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .watch(new StreamObserver<>() {
                    @Override
                    public void onNext(WatchResponse r) {
                        handle(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        allClosed.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        allClosed.countDown();
                    }
                });
    }

    synchronized void create(WatchCreateRequest req, List<String> exec) {
        pendingExec.add(exec);
        open++;
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(req).build());
    }

    void progress() {
        requests.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
    }

    /** Blocks until the server has canceled every watch (or the stream ends); rethrows print errors. */
    void awaitClosed() {
        try {
            allClosed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException ignored) {
            // the stream may already be gone
        }
    }

    private void handle(WatchResponse r) {
        List<String> exec;
        synchronized (this) {
            if (r.getCreated()) {
                // The Go client swallows the creation notice; it only maps the watch id.
                execByWatch.put(r.getWatchId(), pendingExec.isEmpty() ? List.of() : pendingExec.poll());
                if (!r.getCanceled()) {
                    return;
                }
            }
            exec = execByWatch.getOrDefault(r.getWatchId(), List.of());
        }
        try {
            if (r.getCanceled()) {
                out.errln("watch was canceled (" + cancelText(r) + ")");
            }
            if (r.getEventsCount() == 0 && !r.getCanceled() && !r.getCreated() && r.getCompactRevision() == 0
                    && r.getHeader().getRevision() != 0) {
                out.println("progress notify: " + r.getHeader().getRevision());
            }
            WatchPrinter.print(out, r);
            for (Event ev : r.getEventsList()) {
                runExec(exec, r, ev);
            }
        } catch (CtlException e) {
            failure = e;
            allClosed.countDown();
            return;
        }
        if (r.getCanceled()) {
            synchronized (this) {
                if (--open <= 0) {
                    allClosed.countDown();
                }
            }
        }
    }

    /** The Go client's WatchResponse.Err() text for a canceled watch. */
    private static String cancelText(WatchResponse r) {
        if (r.getCompactRevision() != 0) {
            return "etcdserver: mvcc: required revision has been compacted";
        }
        if (!r.getCancelReason().isEmpty()) {
            return r.getCancelReason().startsWith("etcdserver: ") ? r.getCancelReason()
                    : RpcErrors.goStatusText(Status.Code.FAILED_PRECONDITION, r.getCancelReason());
        }
        return "etcdserver: mvcc: required revision is a future revision";
    }

    /** Runs the command given after "--" once per event, with etcdctl's ETCD_WATCH_* variables. */
    private void runExec(List<String> exec, WatchResponse r, Event ev) {
        if (exec.isEmpty()) {
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(exec);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("ETCD_WATCH_REVISION", Long.toString(r.getHeader().getRevision()));
        pb.environment().put("ETCD_WATCH_EVENT_TYPE", GoText.quote(ev.getType().name()));
        pb.environment().put("ETCD_WATCH_KEY", GoText.quote(ev.getKv().getKey().toByteArray()));
        pb.environment().put("ETCD_WATCH_VALUE", GoText.quote(ev.getKv().getValue().toByteArray()));
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        try {
            Process p = pb.start();
            Thread errPump = pump(p.getErrorStream(), out.err());
            p.getInputStream().transferTo(out.out());
            errPump.join();
            int rc = p.waitFor();
            if (rc != 0) {
                throw execFailed(exec, "exit status " + rc);
            }
        } catch (IOException e) {
            throw execFailed(exec, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw execFailed(exec, "interrupted");
        }
        out.out().flush();
    }

    private CtlException execFailed(List<String> exec, String why) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < exec.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(GoText.quote(exec.get(i)));
        }
        out.errln("command " + sb.append(']') + " error (" + why + ")");
        return CtlException.silent(CtlException.EXIT_ERROR);
    }

    private static Thread pump(InputStream in, java.io.OutputStream to) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(to);
            } catch (IOException ignored) {
                // the child is gone
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
