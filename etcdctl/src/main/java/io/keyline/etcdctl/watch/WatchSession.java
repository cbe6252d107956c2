package io.keyline.etcdctl.watch;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.keyline.api.etcdserverpb.WatchCreateRequest;
import io.keyline.api.etcdserverpb.WatchGrpc;
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
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC watch stream carrying every watch of the command, as the Go client multiplexes them.
 * When the stream fails with Unavailable or Internal (its member stopped, say), the session opens
 * a new one and creates each open watch again from where it left off, as the Go client resumes;
 * any other failure ends every watch. Responses are handled on gRPC's callback thread, one at a
 * time, so output never interleaves. The fields below are touched only under "this".
 */
final class WatchSession {
    // etcd's "require leader" metadata, which etcdctl's watches carry.
    private static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);
    // A progress request's answer names no watch; the Go client hands it to every watch of the stream.
    private static final long BROADCAST = -1;
    private static final String NO_LEADER = "etcdserver: no leader";
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final WatchGrpc.WatchStub stub;
    private final Output out;
    private final Map<String, String> env;
    private final List<ResumableWatch> open = new ArrayList<>();
    private final Deque<ResumableWatch> awaitingCreated = new ArrayDeque<>();
    private final CountDownLatch allClosed = new CountDownLatch(1);
    private volatile CtlException failure;
    private Stream stream;
    private long backoffNanos = TimeUnit.MILLISECONDS.toNanos(1);

    WatchSession(Connection c, Output out, Map<String, String> env) {
        this.out = out;
        this.env = env;
        Metadata md = new Metadata();
        md.put(HAS_LEADER, "true");
        this.stub = c.watchAsync().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    synchronized void create(WatchCreateRequest req, List<String> exec) {
        ResumableWatch w = new ResumableWatch(req, exec);
        open.add(w);
        awaitingCreated.add(w);
        if (stream == null) {
            stream = new Stream();
        }
        stream.send(WatchRequest.newBuilder().setCreateRequest(w.request()).build());
    }

    synchronized void progress() {
        if (stream == null) {
            stream = new Stream();
        }
        stream.send(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
    }

    /** Blocks until every watch has ended (canceled, or its stream failed for good); rethrows print errors. */
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

    synchronized void close() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    /** One gRPC stream; callbacks from a stream the session has replaced are ignored. */
    private final class Stream implements StreamObserver<WatchResponse> {
        private final StreamObserver<WatchRequest> requests = stub.watch(this);

        void send(WatchRequest r) {
            requests.onNext(r);
        }

        void close() {
            try {
                requests.onCompleted();
            } catch (RuntimeException ignored) {
                // the stream may already be gone
            }
        }

        @Override
        public void onNext(WatchResponse r) {
            handle(this, r);
        }

        @Override
        public void onError(Throwable t) {
            failed(this, Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            // Go's client reads io.EOF, which it does not retry.
            end(this, "EOF");
        }
    }

    private void failed(Stream from, Status s) {
        synchronized (this) {
            if (from != stream) {
                return;
            }
        }
        String desc = s.getDescription() == null ? "" : s.getDescription();
        boolean retry = (s.getCode() == Status.Code.UNAVAILABLE || s.getCode() == Status.Code.INTERNAL)
                && !desc.equals(NO_LEADER);
        if (!retry) {
            end(from, RpcErrors.clientText(s.asRuntimeException()));
            return;
        }
        if (s.getCode() == Status.Code.UNAVAILABLE) {
            backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos + backoffNanos / 4);
            try {
                TimeUnit.NANOSECONDS.sleep(backoffNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        resume(from);
    }

    /** Ends every watch of the session, as the Go client does when its stream fails for good. */
    private void end(Stream from, String why) {
        List<ResumableWatch> ended;
        synchronized (this) {
            if (from != stream) {
                return;
            }
            ended = new ArrayList<>(open);
            open.clear();
            awaitingCreated.clear();
            stream = null;
        }
        ended.forEach(w -> out.errln("watch was canceled (" + why + ")"));
        allClosed.countDown();
    }

    /** Opens a new stream (it waits for a member to be ready) and creates every open watch on it again. */
    private synchronized void resume(Stream failed) {
        if (failed != stream) {
            return;
        }
        stream = new Stream();
        awaitingCreated.clear();
        for (ResumableWatch w : open) {
            w.id = -1;
            awaitingCreated.add(w);
            stream.send(WatchRequest.newBuilder().setCreateRequest(w.request()).build());
        }
    }

    private void handle(Stream from, WatchResponse r) {
        List<ResumableWatch> targets = new ArrayList<>();
        synchronized (this) {
            if (from != stream) {
                return;
            }
            if (r.getCreated()) {
                ResumableWatch w = awaitingCreated.poll();
                if (w == null) {
                    return;
                }
                w.created(r);
                // The Go client swallows the creation notice; it only maps the watch id.
                if (!r.getCanceled()) {
                    return;
                }
                targets.add(w);
            } else if (r.getWatchId() == BROADCAST && isProgressNotify(r)) {
                open.stream().filter(w -> w.id != -1).forEach(targets::add);
            } else {
                open.stream().filter(w -> w.id != -1 && w.id == r.getWatchId()).findFirst().ifPresent(targets::add);
            }
            if (!r.getCreated()) {
                targets.forEach(w -> w.observed(r));
            }
        }
        try {
            for (ResumableWatch w : targets) {
                print(w, r);
            }
        } catch (CtlException e) {
            failure = e;
            allClosed.countDown();
            return;
        }
        if (r.getCanceled()) {
            synchronized (this) {
                open.removeAll(targets);
                if (open.isEmpty()) {
                    allClosed.countDown();
                }
            }
        }
    }

    private void print(ResumableWatch w, WatchResponse r) {
        if (r.getCanceled()) {
            out.errln("watch was canceled (" + cancelText(r) + ")");
        }
        if (isProgressNotify(r)) {
            out.println("progress notify: " + r.getHeader().getRevision());
        }
        WatchPrinter.print(out, r);
        for (Event ev : r.getEventsList()) {
            runExec(w.exec, r, ev);
        }
    }

    private static boolean isProgressNotify(WatchResponse r) {
        return r.getEventsCount() == 0 && !r.getCanceled() && !r.getCreated() && r.getCompactRevision() == 0
                && r.getHeader().getRevision() != 0;
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
