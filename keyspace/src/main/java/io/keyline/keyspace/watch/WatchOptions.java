package io.keyline.keyspace.watch;

import com.google.protobuf.ByteString;

/**
 * What a client asks of one watcher, as in etcd's WatchCreateRequest: {@code rangeEnd} empty for one key, one
 * zero byte for every key >= key, else [key, rangeEnd); {@code startRevision} 0 for "from the next revision";
 * {@code watchId} 0 to let the stream choose.
 */
public record WatchOptions(ByteString key, ByteString rangeEnd, long startRevision, long watchId,
        boolean noPut, boolean noDelete, boolean prevKv, boolean progressNotify) {
}
