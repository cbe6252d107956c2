package io.keyline.keyspace.mvcc;

/** Result of {@link MvccStore#hashKV}: the fields of etcd's HashKVResponse (hash is an unsigned 32-bit crc). */
public record HashKV(int hash, long compactRevision, long hashRevision, long currentRevision) {
}
