package io.keyline.etcdctl.cluster;

import io.keyline.etcdctl.Ctl;
import java.util.List;

/** The endpoints a per-member command visits: --endpoints, or with --cluster every member's client URLs. */
public final class Endpoints {
    private Endpoints() {}

    public static List<String> of(Ctl ctl, boolean cluster) {
        return EndpointCommand.endpoints(ctl, cluster);
    }
}
