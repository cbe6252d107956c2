package io.keyline.keyspace.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyline.api.etcdserverpb.Member;
import io.keyline.keyspace.EtcdError;
import io.keyline.keyspace.KeyspaceException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class MembershipTest {

    private static Member member(long id, String name, String peerUrl, boolean learner) {
        return Member.newBuilder().setID(id).setName(name).addPeerURLs(peerUrl).setIsLearner(learner).build();
    }

    /** Three started voters 1, 2, 3 on peer ports 2381..2383. */
    private static Membership threeStarted() {
        Membership m = Membership.empty();
        m.bootstrap(List.of(member(1, "a", "http://h:2381", false), member(2, "b", "http://h:2382", false),
                member(3, "c", "http://h:2383", false)));
        return m;
    }

    @Test
    void memberLooksUpOneIdAmongTheMembersAndNotTheRemovedOnes() {
        Membership m = threeStarted();
        m.add(member(9, "", "http://h:9", true));
        m.remove(3);
        assertTrue(m.member(9).orElseThrow().getIsLearner());
        assertEquals("b", m.member(2).orElseThrow().getName());
        assertTrue(m.member(3).isEmpty());
        assertTrue(m.member(42).isEmpty());
    }

    private static Arguments row(String what, EtcdError expected, Consumer<Membership> setup, Consumer<Membership> refused) {
        return Arguments.of(what, expected, setup, refused);
    }

    static Stream<Arguments> refusals() {
        Consumer<Membership> none = m -> { };
        return Stream.of(
                row("add an existing id", EtcdError.MEMBER_EXIST, none, m -> m.add(member(2, "", "http://h:9", false))),
                row("add with a member's peer URL", EtcdError.PEER_URL_EXIST, none,
                        m -> m.add(member(9, "", "http://h:2382", true))),
                row("a second learner", EtcdError.TOO_MANY_LEARNERS, m -> m.add(member(8, "", "http://h:8", true)),
                        m -> m.add(member(9, "", "http://h:9", true))),
                row("a voter while the started ones would lose quorum", EtcdError.MEMBER_NOT_ENOUGH_STARTED, m -> {
                    m.add(member(7, "", "http://h:7", false));
                    m.add(member(8, "", "http://h:8", false));
                }, m -> m.add(member(9, "", "http://h:9", false))),
                row("remove an unknown id", EtcdError.MEMBER_NOT_FOUND, none, m -> m.remove(42)),
                row("remove a removed id", EtcdError.MEMBER_NOT_FOUND, m -> m.remove(3), m -> m.remove(3)),
                row("re-add a removed id", EtcdError.MEMBER_NOT_FOUND, m -> m.remove(3),
                        m -> m.add(member(3, "", "http://h:3", true))),
                row("remove the last voter", EtcdError.MEMBER_NOT_ENOUGH_STARTED, m -> {
                    m.remove(3);
                    m.remove(2);
                }, m -> m.remove(1)),
                row("update an unknown id", EtcdError.MEMBER_NOT_FOUND, none, m -> m.update(42, List.of("http://h:1"))),
                row("update onto another member's URL", EtcdError.PEER_URL_EXIST, none,
                        m -> m.update(1, List.of("http://h:2383"))),
                row("promote a voter", EtcdError.MEMBER_NOT_LEARNER, none, m -> m.promote(2)),
                row("promote an unknown id", EtcdError.MEMBER_NOT_FOUND, none, m -> m.promote(42)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesAsEtcdAndChangesNothing(String what, EtcdError expected, Consumer<Membership> setup,
            Consumer<Membership> refused) {
        Membership m = threeStarted();
        setup.accept(m);
        List<Member> members = m.members();
        java.util.Set<Long> removed = m.removed();
        KeyspaceException e = assertThrows(KeyspaceException.class, () -> refused.accept(m), what);
        assertEquals(expected, e.error(), what);
        assertEquals(members, m.members(), what + ": the refused change altered the members");
        assertEquals(removed, m.removed(), what + ": the refused change altered the removed ids");
    }

    @Test
    void learnerAddedPromotedUpdatedAndRemoved() {
        Membership m = threeStarted();
        m.add(member(9, "", "http://h:9", true));
        m.promote(9);
        m.update(9, List.of("http://h:10"));
        assertEquals(List.of("http://h:10"), m.members().get(3).getPeerURLsList());
        assertEquals(false, m.members().get(3).getIsLearner());
        m.remove(9);
        assertTrue(m.isRemoved(9));
        assertEquals(3, m.members().size());
    }

    @Test
    void publishKeepsPeerUrlsAndLearnerFlagAndIgnoresRemovedMembers() {
        Membership m = threeStarted();
        m.add(member(9, "", "http://h:9", true));
        m.publish(Member.newBuilder().setID(9).setName("new").addClientURLs("http://h:19").build());
        Member published = m.members().get(3);
        assertEquals("new", published.getName());
        assertEquals(List.of("http://h:9"), published.getPeerURLsList());
        assertTrue(published.getIsLearner());
        m.remove(3);
        m.publish(Member.newBuilder().setID(3).setName("ghost").build());
        assertEquals(3, m.members().size());
    }

    @Test
    void bootstrapIsTakenOnce() {
        Membership m = threeStarted();
        assertEquals(false, m.bootstrap(List.of(member(5, "x", "http://h:5", false))));
        assertEquals(3, m.members().size());
    }

    @Test
    void membersAreListedByUnsignedId() {
        Membership m = Membership.empty();
        m.bootstrap(List.of(member(-1, "big", "http://h:1", false), member(5, "small", "http://h:2", false)));
        assertEquals(List.of("small", "big"), m.members().stream().map(Member::getName).toList());
    }

    static Stream<Arguments> peerUrls() {
        return Stream.of(
                Arguments.of(List.of("http://127.0.0.1:2380"), true),
                Arguments.of(List.of("https://h:1", "unix://s:1"), true),
                Arguments.of(List.of(), false),
                Arguments.of(List.of("http://127.0.0.1"), false),
                Arguments.of(List.of("ftp://h:1"), false),
                Arguments.of(List.of("http://h:1/path"), false),
                Arguments.of(List.of("h:1"), false));
    }

    @ParameterizedTest(name = "{0} valid={1}")
    @MethodSource("peerUrls")
    void peerUrlsFollowEtcdsUrlRules(List<String> urls, boolean valid) {
        if (valid) {
            assertEquals(urls.stream().sorted().toList(), Membership.peerUrls(urls));
        } else {
            KeyspaceException e = assertThrows(KeyspaceException.class, () -> Membership.peerUrls(urls));
            assertEquals(EtcdError.MEMBER_BAD_URLS, e.error());
        }
    }
}
