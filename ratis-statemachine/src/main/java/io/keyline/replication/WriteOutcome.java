package io.keyline.replication;

import com.google.protobuf.Message;
import io.keyline.keyspace.EtcdError;

/** What applying one client write produced: an etcd response, or the etcd error that refused it. */
public record WriteOutcome(Message response, EtcdError error) {
    static WriteOutcome ok(Message response) {
        return new WriteOutcome(response, null);
    }

    static WriteOutcome failed(EtcdError error) {
        return new WriteOutcome(null, error);
    }

    public boolean failed() {
        return error != null;
    }
}
