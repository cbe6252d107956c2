package io.keyline.etcdctl.cluster;

import io.keyline.api.etcdserverpb.Member;
import io.keyline.api.etcdserverpb.MemberListResponse;
import io.keyline.etcdctl.output.Fields;
import io.keyline.etcdctl.output.GoJson;
import io.keyline.etcdctl.output.GoText;
import io.keyline.etcdctl.output.Output;
import io.keyline.etcdctl.output.ProtoJson;
import io.keyline.etcdctl.output.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** member list in each format; add/remove/update/promote print through MemberCommand. */
final class MemberPrinter {
    static final List<String> HEADER = List.of("ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner");

    private MemberPrinter() {}

    static List<List<String>> rows(List<Member> members) {
        List<List<String>> rows = new ArrayList<>();
        for (Member m : members) {
            rows.add(List.of(GoText.hex(m.getID()), m.getName().isEmpty() ? "unstarted" : "started", m.getName(),
                    String.join(",", m.getPeerURLsList()), String.join(",", m.getClientURLsList()),
                    Boolean.toString(m.getIsLearner())));
        }
        return rows;
    }

    static void list(Output o, MemberListResponse r) {
        switch (o.format()) {
            case SIMPLE -> rows(r.getMembersList()).forEach(row -> o.println(String.join(", ", row)));
            case TABLE -> {
                Table t = new Table(HEADER);
                rows(r.getMembersList()).forEach(t::add);
                o.print(t.render());
            }
            case FIELDS -> {
                Fields.header(o, r.getHeader());
                for (Member m : r.getMembersList()) {
                    Fields.line(o, "ID", Long.toUnsignedString(m.getID()));
                    Fields.quoted(o, "Name", m.getName());
                    m.getPeerURLsList().forEach(u -> Fields.quoted(o, "PeerURL", u));
                    m.getClientURLsList().forEach(u -> Fields.quoted(o, "ClientURL", u));
                    Fields.line(o, "IsLearner", m.getIsLearner());
                    o.println("");
                }
            }
            case JSON -> o.json(o.hex() ? hexJson(r) : GoJson.write(ProtoJson.of(r)));
            case PROTOBUF -> o.protobuf(r);
        }
    }

    /** etcdctl 3.5's json with --hex: ids as hex strings (and its "clientURLS" spelling). */
    private static String hexJson(MemberListResponse r) {
        Map<String, Object> h = GoJson.object();
        h.put("cluster_id", GoText.hex(r.getHeader().getClusterId()));
        h.put("member_id", GoText.hex(r.getHeader().getMemberId()));
        h.put("raft_term", GoJson.unsigned(r.getHeader().getRaftTerm()));
        Map<String, Object> obj = GoJson.object();
        obj.put("header", h);
        List<Object> ms = new ArrayList<>();
        for (Member m : r.getMembersList()) {
            Map<String, Object> mm = GoJson.object();
            mm.put("ID", GoText.hex(m.getID()));
            mm.put("name", m.getName());
            mm.put("peerURLs", m.getPeerURLsList());
            mm.put("clientURLS", m.getClientURLsList());
            ms.add(mm);
        }
        if (!ms.isEmpty()) {
            obj.put("members", ms);
        }
        return GoJson.write(obj);
    }
}
