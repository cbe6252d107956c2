package io.keyline.keyspace.mvcc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.keyline.api.etcdserverpb.RangeRequest;
import io.keyline.api.etcdserverpb.RangeResponse;
import io.keyline.api.mvccpb.Event;
import io.keyline.api.mvccpb.KeyValue;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;

/**
 * etcd's MVCC key-value store over one RocksDB: the {@code rev} column family holds every revision (see
 * {@link RevKeys}), {@code meta} the applied Raft index/term and revision bookkeeping, and the key index lives in
 * memory and is rebuilt from {@code rev} on open.
 *
 * <p>Concurrency: one writer (the Raft apply thread) runs {@link MvccBatch}es; any number of threads read.
 * {@link #lock} guards the committed state: readers hold its read lock for a whole read, a commit holds its
 * write lock while it writes RocksDB and publishes index and revisions, so a reader sees one commit entirely or
 * not at all. A batch reads the committed index without the lock: only the writer thread ever changes it.
 */
public final class MvccStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MvccStore.class);
    private static final byte[] REV_CF = "rev".getBytes(StandardCharsets.UTF_8);
    private static final byte[] META_CF = "meta".getBytes(StandardCharsets.UTF_8);
    /** etcd's HashKV starts its crc with the name of its key bucket. */
    private static final byte[] KEY_BUCKET = "key".getBytes(StandardCharsets.UTF_8);

    static {
        RocksLibrary.load();
    }

    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final List<ColumnFamilyHandle> handles;
    private final RocksDB db;
    private final ColumnFamilyHandle revCf;
    private final ColumnFamilyHandle metaCf;
    private final WriteOptions writeOptions;
    private final LeaseLookup leases;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeIndex index = new TreeIndex();
    private volatile long currentRev;
    /** -1 until the first compaction, as in etcd. */
    private volatile long compactRev;
    private volatile long appliedIndex;
    private volatile long appliedTerm;
    private MvccBatch openBatch;
    private volatile CommitListener commitListener = CommitListener.NONE;
    /** Set under the write lock; checked under the read lock by every call that reaches RocksDB. */
    private volatile boolean closed;
    /** For tests: how long a dbSize figure is reused. */
    static final long DB_SIZE_CACHE_NANOS = 100_000_000L;
    private volatile long cachedDbSize;
    private volatile long dbSizeAt = System.nanoTime() - 2 * DB_SIZE_CACHE_NANOS;

    private final ReadView committed = new ReadView() {
        @Override
        public IndexView index() {
            return index;
        }

        @Override
        public KeyValue value(Revision rev) {
            return readValue(rev);
        }

        @Override
        public long compactRevision() {
            return compactRev;
        }
    };

    private MvccStore(Path dir, DBOptions dbOptions, ColumnFamilyOptions cfOptions, List<ColumnFamilyHandle> handles,
                      RocksDB db, LeaseLookup leases) {
        this.dir = dir;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.handles = handles;
        this.db = db;
        this.revCf = handles.get(1);
        this.metaCf = handles.get(2);
        // the Raft log is the write-ahead log: no fsync here, Ratis replays entries above the applied index
        this.writeOptions = new WriteOptions().setSync(false);
        this.leases = leases;
    }

    public static MvccStore open(Path dir) {
        return open(dir, LeaseLookup.NONE);
    }

    public static MvccStore open(Path dir, LeaseLookup leases) {
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                new ColumnFamilyDescriptor(REV_CF, cfOptions),
                new ColumnFamilyDescriptor(META_CF, cfOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            MvccStore store = new MvccStore(dir, dbOptions, cfOptions, handles, db, leases);
            store.restore();
            return store;
        } catch (RocksDBException | RuntimeException e) {
            handles.forEach(ColumnFamilyHandle::close);
            cfOptions.close();
            dbOptions.close();
            throw new IllegalStateException("cannot open mvcc store at " + dir, e);
        }
    }

    /** etcd's restore: replay the rev family in revision order into the key index. */
    private void restore() throws RocksDBException {
        long maxMain = 1;
        try (RocksIterator it = db.newIterator(revCf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                Revision rev = RevKeys.decode(key);
                KeyValue kv = parse(it.value());
                KeyIndex ki = index.get(kv.getKey());
                if (RevKeys.isTombstone(key)) {
                    if (ki == null || ki.generations.get(ki.generations.size() - 1).isEmpty()) {
                        LOG.warn("tombstone at {} of key that is not alive, ignored", rev);
                    } else {
                        ki.tombstone(rev);
                        leases.keyDeleted(kv.getKey());
                    }
                } else {
                    if (ki == null) {
                        // the store may be compacted: creation and version come from the stored value
                        ki = new KeyIndex(kv.getKey());
                        ki.restore(new Revision(kv.getCreateRevision(), 0), rev, kv.getVersion());
                        index.publish(ki);
                    } else {
                        ki.put(rev);
                    }
                    leases.keyWritten(kv.getKey(), kv.getLease());
                }
                maxMain = Math.max(maxMain, rev.main());
            }
        }
        currentRev = Math.max(maxMain, Meta.decode(db.get(metaCf, Meta.CURRENT_REVISION), 1));
        compactRev = Meta.decode(db.get(metaCf, Meta.COMPACT_REVISION), -1);
        appliedIndex = Meta.decode(db.get(metaCf, Meta.APPLIED_INDEX), 0);
        appliedTerm = Meta.decode(db.get(metaCf, Meta.APPLIED_TERM), 0);
        LOG.info("restored mvcc store: {} keys, revision {}, compacted at {}, applied index {}",
                index.size(), currentRev, compactRev, appliedIndex);
    }

    /** A local read at the committed revision; the header carries only the revision. */
    public RangeResponse range(RangeRequest r) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return RangeOp.execute(committed, currentRev, r);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The events of revisions {@code fromRev..toRev} from the {@code rev} family, whole revisions only, stopping
     * after the revision that brings the count to {@code maxEvents}. Fails with COMPACTED when {@code fromRev} is
     * below the compaction revision, as etcd's watchable store decides (history from there may be gone).
     */
    public History history(long fromRev, long toRev, int maxEvents) {
        lock.readLock().lock();
        try {
            ensureOpen();
            if (fromRev < compactRev) {
                throw new KeyspaceException(EtcdError.COMPACTED);
            }
            long last = Math.min(toRev, currentRev);
            List<Event> events = new ArrayList<>();
            try (RocksIterator it = db.newIterator(revCf)) {
                for (it.seek(RevKeys.startOf(Math.max(fromRev, 1))); it.isValid(); it.next()) {
                    Revision rev = RevKeys.decode(it.key());
                    if (rev.main() > last) {
                        break;
                    }
                    if (events.size() >= maxEvents && rev.main() != events.get(events.size() - 1).getKv().getModRevision()) {
                        last = rev.main() - 1;
                        break;
                    }
                    events.add(RevKeys.event(rev, parse(it.value()), RevKeys.isTombstone(it.key())));
                }
            }
            return new History(events, last);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Replaces the listener told of every commit (see {@link CommitListener}). */
    public void onCommit(CommitListener listener) {
        commitListener = listener;
    }

    CommitListener commitListener() {
        return commitListener;
    }

    /** Starts the writes of one log entry. Only the writer thread calls this; one batch at a time. */
    public MvccBatch newBatch() {
        synchronized (this) {
            if (openBatch != null) {
                throw new IllegalStateException("another batch is open");
            }
            openBatch = new MvccBatch(this, new BatchState(this, index, currentRev, compactRev));
            return openBatch;
        }
    }

    public long currentRevision() {
        return currentRev;
    }

    /** The revision of the last compaction, -1 if never compacted. */
    public long compactRevision() {
        return compactRev;
    }

    public long appliedIndex() {
        return appliedIndex;
    }

    /**
     * Makes a store restored from a snapshot the start of a new cluster's log: applied index and
     * term back to zero and no attachments (the old cluster's members and alarms), revisions kept.
     */
    public void forgetReplicationState() {
        lock.writeLock().lock();
        ensureOpen();
        try (WriteBatch wb = new WriteBatch(); RocksIterator it = db.newIterator(metaCf)) {
            byte[] prefix = Meta.attachmentKey("");
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                wb.delete(metaCf, it.key());
            }
            wb.put(metaCf, Meta.APPLIED_INDEX, Meta.encode(0));
            wb.put(metaCf, Meta.APPLIED_TERM, Meta.encode(0));
            db.write(writeOptions, wb);
            appliedIndex = 0;
            appliedTerm = 0;
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot reset the replication state", e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** etcd's defragment: rewrites the store's files so that deleted and compacted data gives its space back. */
    public void defragment() {
        lock.readLock().lock();
        try {
            ensureOpen();
            db.compactRange(revCf);
            db.compactRange(metaCf);
        } catch (RocksDBException e) {
            throw new IllegalStateException("defragment failed", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The latest value a committed batch gave {@link MvccBatch#putAttachment}, or null. */
    public byte[] attachment(String name) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return db.get(metaCf, Meta.attachmentKey(name));
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read attachment " + name, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    public long appliedTerm() {
        return appliedTerm;
    }

    /** Every record a committed batch put in {@code bucket} (see {@link MvccBatch#putInBucket}), in key order. */
    public void forEachInBucket(String bucket, BiConsumer<byte[], byte[]> action) {
        lock.readLock().lock();
        try (RocksIterator it = db.newIterator(metaCf)) {
            ensureOpen();
            byte[] prefix = Meta.bucketKey(bucket, new byte[0]);
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                action.accept(java.util.Arrays.copyOfRange(it.key(), prefix.length, it.key().length), it.value());
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * etcd's HashKV: crc32c over "key" and then every rev entry (raw key, then value) up to {@code revision}
     * (0 = current), skipping entries at or below the compaction revision that compaction would not keep. As in
     * etcd, nothing is skipped when the keep set is empty.
     */
    public HashKV hashKV(long revision) {
        lock.readLock().lock();
        try {
            ensureOpen();
            long cur = currentRev;
            long compacted = compactRev;
            if (revision > 0 && revision < compacted) {
                throw new KeyspaceException(EtcdError.COMPACTED);
            }
            if (revision > cur) {
                throw new KeyspaceException(EtcdError.FUTURE_REV);
            }
            long rev = revision <= 0 ? cur : revision;
            Set<Revision> keep = index.keep(compacted);
            CRC32C crc = new CRC32C();
            crc.update(KEY_BUCKET);
            try (RocksIterator it = db.newIterator(revCf)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    Revision kr = RevKeys.decode(key);
                    if (kr.main() > rev) {
                        break;
                    }
                    if (kr.main() <= compacted && !keep.isEmpty() && !keep.contains(kr)) {
                        continue;
                    }
                    crc.update(key);
                    crc.update(it.value());
                }
            }
            return new HashKV((int) crc.getValue(), compacted, rev, cur);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** crc32c over the whole store: each column family's name, then its keys and values in order. */
    public int hash() {
        lock.readLock().lock();
        try {
            ensureOpen();
            CRC32C crc = new CRC32C();
            for (ColumnFamilyHandle cf : List.of(revCf, metaCf)) {
                crc.update(cf.getName());
                try (RocksIterator it = db.newIterator(cf)) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        crc.update(it.key());
                        crc.update(it.value());
                    }
                }
            }
            return (int) crc.getValue();
        } catch (RocksDBException e) {
            throw new IllegalStateException("hash failed", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Bytes the store occupies on disk, as etcd's dbSize is its file's size: table files plus the
     * write-ahead log that holds what memtables have not flushed yet (memtable properties count
     * whole arena blocks, far more than the data). The quota check asks on every write, so the
     * figure is cached for {@link #DB_SIZE_CACHE_NANOS}.
     */
    public long dbSize() {
        long now = System.nanoTime();
        if (now - dbSizeAt > DB_SIZE_CACHE_NANOS) {
            lock.readLock().lock();
            try {
                ensureOpen();
                cachedDbSize = sumProperty("rocksdb.total-sst-files-size") + walBytes();
                dbSizeAt = now;
            } finally {
                lock.readLock().unlock();
            }
        }
        return cachedDbSize;
    }

    /**
     * The write-ahead log files' size, from the directory: RocksDB's own listing stops file deletions
     * and writes three lines to its info log each time, ten times a second under writes.
     */
    private long walBytes() {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the write-ahead log in " + dir, e);
        }
    }

    /** Bytes of live data: live table files plus the unflushed log, never more than {@link #dbSize}. */
    public long dbSizeInUse() {
        long size = dbSize();
        lock.readLock().lock();
        try {
            ensureOpen();
            long unflushed = size - sumProperty("rocksdb.total-sst-files-size");
            return Math.min(size, sumProperty("rocksdb.live-sst-files-size") + Math.max(0, unflushed));
        } finally {
            lock.readLock().unlock();
        }
    }

    private long sumProperty(String property) {
        long sum = 0;
        try {
            for (ColumnFamilyHandle cf : handles) {
                sum += db.getLongProperty(cf, property);
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read " + property, e);
        }
        return sum;
    }

    /** A RocksDB checkpoint of the committed state at {@code target} (which must not exist), for Raft snapshots. */
    public void checkpoint(Path target) {
        lock.readLock().lock(); // no commit in between: the checkpoint holds whole batches only
        try (Checkpoint cp = Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new IllegalStateException("checkpoint to " + target + " failed", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Calls after close fail here instead of reaching RocksDB's freed native handles (which crash the JVM). */
    private void ensureOpen() {
        if (closed) {
            throw new StoreClosedException();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            writeOptions.close();
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            cfOptions.close();
            dbOptions.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- for MvccBatch (writer thread only) ----

    LeaseLookup leases() {
        return leases;
    }

    ColumnFamilyHandle revCf() {
        return revCf;
    }

    ColumnFamilyHandle metaCf() {
        return metaCf;
    }

    RocksIterator newRevIterator() {
        return db.newIterator(revCf);
    }

    KeyValue readValue(Revision rev) {
        try {
            byte[] v = db.get(revCf, RevKeys.encode(rev, false));
            if (v == null) {
                throw new IllegalStateException("index names revision " + rev + " but it is not stored");
            }
            return parse(v);
        } catch (RocksDBException e) {
            throw new IllegalStateException("read of revision " + rev + " failed", e);
        }
    }

    /** Writes the batch and publishes its index changes and revisions, atomically for readers. */
    void publish(WriteBatch wb, BatchState s, long newAppliedIndex, long newAppliedTerm) throws RocksDBException {
        lock.writeLock().lock();
        try {
            db.write(writeOptions, wb);
            s.index.applyTo(index);
            for (long rev : s.compactions) {
                index.compact(rev);
            }
            currentRev = s.currentRev;
            compactRev = s.compactRev;
            appliedIndex = newAppliedIndex;
            appliedTerm = newAppliedTerm;
        } finally {
            lock.writeLock().unlock();
        }
    }

    synchronized void batchClosed(MvccBatch batch) {
        if (openBatch == batch) {
            openBatch = null;
        }
    }

    private static KeyValue parse(byte[] v) {
        try {
            return KeyValue.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt KeyValue in rev family", e);
        }
    }

    /** For tests: the number of keys in the committed index. */
    int indexSize() {
        return index.size();
    }

    /** For tests: every stored rev key as "main.sub" (with a "t" suffix for tombstones), in order. */
    List<String> storedRevisions() {
        List<String> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(revCf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(RevKeys.decode(it.key()) + (RevKeys.isTombstone(it.key()) ? "t" : ""));
            }
        }
        return out;
    }

    /** For tests: the committed index of a key. */
    KeyIndex keyIndex(ByteString key) {
        return index.get(key);
    }
}
