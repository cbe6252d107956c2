package io.keyline.etcdctl;

/** The watch comparisons with a Keyline server in place of etcd: etcdctl 3.4 and keylinectl must print the same. */
class WatchOnKeylineTest extends WatchCompatTest {
    @Override
    EtcdServer.Kind server() {
        return EtcdServer.Kind.KEYLINE;
    }
}
