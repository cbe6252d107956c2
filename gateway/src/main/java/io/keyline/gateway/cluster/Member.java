package io.keyline.gateway.cluster;

import java.util.List;

/** One member as etcd's Cluster service describes it. */
public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    public io.keyline.api.etcdserverpb.Member toProto() {
        return io.keyline.api.etcdserverpb.Member.newBuilder()
                .setID(id)
                .setName(name)
                .addAllPeerURLs(peerUrls)
                .addAllClientURLs(clientUrls)
                .setIsLearner(learner)
                .build();
    }
}
