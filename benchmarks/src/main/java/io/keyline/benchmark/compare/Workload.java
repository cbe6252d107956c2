package io.keyline.benchmark.compare;

import java.util.ArrayList;
import java.util.List;

/** One benchmark command line of the comparison, without --endpoints (the runner adds the cluster's). */
record Workload(String name, List<String> args) {

    /** The comparison's workloads; quick divides the totals by ten for smoke runs. */
    static List<Workload> all(boolean quick) {
        int q = quick ? 10 : 1;
        List<Workload> w = new ArrayList<>();
        String putFlags = "--key-size 8 --val-size 256 --key-space-size 100000 --sequential-keys";
        w.add(of("put 1 client", "put --clients 1 --conns 1 --total " + 1000 / q + " " + putFlags));
        w.add(of("put 100 clients", "put --clients 100 --conns 10 --total " + 10000 / q + " " + putFlags));
        w.add(of("range l 1 client", "range foo --consistency l --clients 1 --conns 1 --total " + 2000 / q));
        w.add(of("range l 100 clients", "range foo --consistency l --clients 100 --conns 10 --total " + 20000 / q));
        w.add(of("range s 1 client", "range foo --consistency s --clients 1 --conns 1 --total " + 2000 / q));
        w.add(of("range s 100 clients", "range foo --consistency s --clients 100 --conns 10 --total " + 20000 / q));
        w.add(of("txn-put 100 clients", "txn-put --clients 100 --conns 10 --txn-ops 4 --key-space-size 100000 --val-size 256 --total " + 5000 / q));
        w.add(of("watch-latency 10 watchers", "watch-latency --clients 10 --conns 2 --put-rate 100 --total " + 300 / q));
        w.add(of("lease-keepalive 10 clients", "lease-keepalive --clients 10 --conns 2 --total " + 2000 / q));
        return w;
    }

    private static Workload of(String name, String args) {
        return new Workload(name, List.of(args.split(" ")));
    }
}
