package io.keyline.etcdctl.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a cluster client's target to every --endpoints address, so that the channel balances over
 * all of them and a call goes to a member that is up, as etcd's Go client does with its endpoint list.
 */
final class EndpointListResolver extends NameResolverProvider {
    static final String SCHEME = "endpoints";

    private final List<String> authorities;

    EndpointListResolver(List<String> authorities) {
        this.authorities = List.copyOf(authorities);
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!SCHEME.equals(targetUri.getScheme())) {
            return null;
        }
        return new NameResolver() {
            @Override
            public String getServiceAuthority() {
                return authorities.get(0);
            }

            @Override
            public void start(Listener2 listener) {
                List<EquivalentAddressGroup> groups = new ArrayList<>();
                for (String a : authorities) {
                    groups.add(new EquivalentAddressGroup(address(a)));
                }
                listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
            }

            @Override
            public void shutdown() {}
        };
    }

    private static SocketAddress address(String authority) {
        int colon = authority.lastIndexOf(':');
        String host = authority.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(host, Integer.parseInt(authority.substring(colon + 1)));
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 5;
    }
}
