package io.keyline.etcdctl.watch;

import io.keyline.api.etcdserverpb.WatchCreateRequest;
import io.keyline.api.etcdserverpb.WatchResponse;
import java.util.List;

/**
 * One watch of a session and the revision it resumes from when its stream is opened again,
 * kept by the Go client's rules: the store revision of its first creation notice when it
 * watched from "now", the revision after its last event, or a progress notice's revision.
 */
final class ResumableWatch {
    private final WatchCreateRequest first;
    final List<String> exec;
    private long nextRev;
    private boolean createdOnce;
    /** The server's id for this watch on the current stream; -1 until its creation notice. */
    long id = -1;

    ResumableWatch(WatchCreateRequest first, List<String> exec) {
        this.first = first;
        this.exec = exec;
        this.nextRev = first.getStartRevision();
    }

    /** The create request for the current stream: the first one, from the resume revision. */
    WatchCreateRequest request() {
        return first.toBuilder().setStartRevision(nextRev).build();
    }

    void created(WatchResponse r) {
        id = r.getWatchId();
        if (!createdOnce) {
            createdOnce = true;
            // A watch from "now" is bound to the store revision it was created at, so a put made
            // while it reconnects is not missed.
            if (first.getStartRevision() == 0) {
                nextRev = r.getHeader().getRevision();
            }
        }
    }

    /** An event batch or a progress notice for this watch. */
    void observed(WatchResponse r) {
        nextRev = r.getHeader().getRevision();
        if (r.getEventsCount() > 0) {
            nextRev = r.getEvents(r.getEventsCount() - 1).getKv().getModRevision() + 1;
        }
    }
}
