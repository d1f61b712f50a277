// Explanations and strings: every reason of core's transition table has a Korean translation,
// every string exists in both languages, and placeholders land where each language wants them.
#include "sockstep/model/explain.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "sockstep/model/strings.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

TEST(Explain, EveryTransitionTableReasonHasAKoreanTranslation) {
    for (const core::Transition& row : core::TransitionTable()) {
        EXPECT_TRUE(ui::HasTranslation(row.why)) << "no Korean for: \"" << row.why << "\"";
        EXPECT_TRUE(ui::HasTranslation(row.depends)) << "no Korean for: \"" << row.depends << "\"";
    }
    EXPECT_EQ(ui::TranslateWhy("this socket is not listening", core::Lang::kKo),
              "이 소켓은 리슨 중이 아님");
    EXPECT_EQ(ui::TranslateWhy("this socket is not listening", core::Lang::kEn),
              "this socket is not listening");
}

TEST(Explain, PredictionsReadAsTheIssueWantsThem) {
    const core::Prediction p =
        core::Predict(core::ApiState::kCreated, core::SockType::kStream, core::CallKind::kAccept);
    EXPECT_EQ(ui::DescribePrediction(p, core::Lang::kEn),
              "will fail with EINVAL: this socket is not listening");
    EXPECT_EQ(ui::DescribePrediction(p, core::Lang::kKo),
              "EINVAL 오류로 실패할 것: 이 소켓은 리슨 중이 아님");
    const core::Prediction ok =
        core::Predict(core::ApiState::kBound, core::SockType::kStream, core::CallKind::kListen);
    EXPECT_EQ(ui::DescribePrediction(ok, core::Lang::kEn), "should succeed → Listening");
}

TEST(Explain, APredictionThatDependsSaysOnWhatInsteadOfPromisingSuccess) {
    const core::Prediction p =
        core::Predict(core::ApiState::kCreated, core::SockType::kStream, core::CallKind::kConnect);
    EXPECT_EQ(ui::DescribePrediction(p, core::Lang::kEn),
              "depends on a listener at that address; then should succeed → Connected (may wait "
              "in the kernel)");
    EXPECT_EQ(ui::DescribePrediction(p, core::Lang::kKo)
                  .rfind("그 주소에 리슨 소켓이 있는지에 달려 "
                         "있음",
                         0),
              0u)
        << ui::DescribePrediction(p, core::Lang::kKo);
    const core::Prediction udp =
        core::Predict(core::ApiState::kConnected, core::SockType::kDgram, core::CallKind::kRecv);
    EXPECT_EQ(ui::DescribePrediction(udp, core::Lang::kEn)
                  .rfind("depends on no ICMP error from the peer being queued; ", 0),
              0u);
}

TEST(Explain, AnAcceptedSocketInCloseWaitSaysTheClientAlreadyClosed) {
    core::Event e;
    e.phase = core::Phase::kReturn;
    e.request.call = core::CallKind::kAccept;
    e.request.socket = "listener";
    e.request.result = "conn";
    e.ret = 7;
    e.result_socket_id = 2;
    core::SocketView conn;
    conn.id = 2;
    conn.name = "conn";
    conn.local = core::Endpoint{core::Family::kInet, "127.0.0.1", 5000};
    conn.tcp_state = core::TcpState::kCloseWait;
    e.sockets = core::Snapshot{conn};
    EXPECT_NE(ui::ExplainEvent(e, core::Lang::kEn).find("The client already closed its side"),
              std::string::npos)
        << ui::ExplainEvent(e, core::Lang::kEn);
    EXPECT_NE(ui::ExplainEvent(e, core::Lang::kKo).find("클라이언트는 이미 자기 쪽을 닫았습니다"),
              std::string::npos);
    conn.tcp_state = core::TcpState::kEstablished;
    e.sockets = core::Snapshot{conn};
    EXPECT_EQ(ui::ExplainEvent(e, core::Lang::kEn).find("already closed"), std::string::npos);
}

TEST(Explain, ErrnoLinesNameTheErrnoAndAMeaningInBothLanguages) {
    // Without the call and socket it came from, ECONNREFUSED names both ways a kernel refuses:
    // TCP's RST and UDP's ICMP port unreachable.
    EXPECT_EQ(ui::ErrnoLine(ECONNREFUSED, "", core::Lang::kEn),
              "ECONNREFUSED: no socket holds that port: the kernel refused (TCP: a reset, RST; "
              "UDP: an ICMP port unreachable)");
    for (const char* both : {"RST", "ICMP port unreachable"}) {
        EXPECT_NE(ui::ErrnoLine(ECONNREFUSED, "", core::Lang::kKo).find(both), std::string::npos)
            << both;
    }
    for (int err : {EINVAL, EADDRINUSE, ETIMEDOUT, EPIPE, ECONNRESET, EAGAIN, EINPROGRESS, EBADF}) {
        EXPECT_NE(ui::ErrnoMeaning(err, core::Lang::kKo), ui::ErrnoMeaning(err, core::Lang::kEn))
            << core::ErrnoName(err);
    }
}

TEST(Explain, EventsAreExplainedFromWhatTheLogProves) {
    core::Event e;
    e.phase = core::Phase::kReturn;
    e.request.call = core::CallKind::kConnect;
    e.err = ECONNREFUSED;
    EXPECT_NE(ui::ExplainEvent(e, core::Lang::kEn).find("RST"), std::string::npos);
    EXPECT_EQ(ui::ExplainEvent(e, core::Lang::kEn).find("ICMP"), std::string::npos)
        << "a refused TCP connect() is answered by an RST";
    e.err = 0;
    e.request.call = core::CallKind::kSend;
    e.ret = 5;
    EXPECT_NE(ui::ExplainEvent(e, core::Lang::kEn).find("5 bytes"), std::string::npos);
    EXPECT_NE(ui::ExplainEvent(e, core::Lang::kKo).find("5바이트"), std::string::npos);
    e.phase = core::Phase::kBlocked;
    e.request.call = core::CallKind::kAccept;
    EXPECT_NE(ui::ExplainEvent(e, core::Lang::kEn).find("accept queue is empty"),
              std::string::npos);
    e.phase = core::Phase::kEnter;
    EXPECT_TRUE(ui::ExplainEvent(e, core::Lang::kEn).empty());
}

// A connected UDP socket's ECONNREFUSED comes from an ICMP port unreachable, never an RST.
TEST(Explain, UdpConnectionRefusedIsAnIcmpPortUnreachableNotAnRst) {
    core::Event e;
    e.phase = core::Phase::kReturn;
    e.request.call = core::CallKind::kRecv;
    e.socket_id = 1;
    e.ret = -1;
    e.err = ECONNREFUSED;
    core::SocketView tx;
    tx.id = 1;
    tx.name = "tx";
    tx.type = core::SockType::kDgram;
    e.sockets = core::Snapshot{tx};
    const std::string en = ui::ExplainEvent(e, core::Lang::kEn);
    EXPECT_NE(en.find("ICMP port unreachable"), std::string::npos) << en;
    EXPECT_NE(en.find("no RST: UDP has none"), std::string::npos) << en;
    const std::string ko = ui::ExplainEvent(e, core::Lang::kKo);
    EXPECT_NE(ko.find("ICMP port unreachable"), std::string::npos) << ko;
    EXPECT_NE(ko.find("UDP에는 RST가 없습니다"), std::string::npos) << ko;
    EXPECT_NE(en, ko);
    EXPECT_EQ(ui::ErrnoMeaningOf(e, core::Lang::kEn),
              "no socket holds that port: the kernel answered with an ICMP port unreachable");
    // The same errno on a TCP socket keeps its own story.
    e.request.call = core::CallKind::kConnect;
    tx.type = core::SockType::kStream;
    e.sockets = core::Snapshot{tx};
    EXPECT_NE(ui::ExplainEvent(e, core::Lang::kEn).find("answered the SYN with a reset (RST)"),
              std::string::npos);
    EXPECT_EQ(ui::ErrnoMeaningOf(e, core::Lang::kEn),
              "nobody is listening there: the kernel answered with a reset (RST)");
    EXPECT_EQ(ui::ErrnoMeaningOf(e, core::Lang::kKo),
              "그 주소에서 리슨하는 소켓이 없어 커널이 RST로 거절함");
}

// A captured ICMP error explained from its own fields: what it is, what it is about, and what
// the sender's socket learns; in both languages, ICMP and ICMPv6.
TEST(Explain, IcmpPortUnreachableIsExplainedWithTheQuotedPort) {
    core::Packet p;
    p.transport = core::Transport::kIcmp;
    p.src = {core::Family::kInet, "127.0.0.1", 0};
    p.dst = p.src;
    p.icmp = core::IcmpError{3,
                             3,
                             core::Transport::kUdp,
                             {core::Family::kInet, "127.0.0.1", 40000},
                             {core::Family::kInet, "127.0.0.1", 5000}};
    EXPECT_EQ(core::PacketSummary(p),
              "ICMP port unreachable (type 3 code 3) about 127.0.0.1:5000/udp");
    const std::string en = ui::ExplainPacket(p, core::Lang::kEn);
    EXPECT_EQ(
        en.rfind("ICMP port unreachable (type 3 code 3): no socket holds 127.0.0.1:5000/udp", 0),
        0u)
        << en;
    EXPECT_NE(en.find("ECONNREFUSED"), std::string::npos) << en;
    const std::string ko = ui::ExplainPacket(p, core::Lang::kKo);
    EXPECT_NE(ko.find("127.0.0.1:5000/udp에 소켓이 없어서"), std::string::npos) << ko;

    core::Packet v6 = p;
    v6.src = {core::Family::kInet6, "::1", 0};
    v6.dst = v6.src;
    v6.icmp = core::IcmpError{1,
                              4,
                              core::Transport::kUdp,
                              {core::Family::kInet6, "::1", 40000},
                              {core::Family::kInet6, "::1", 5000}};
    EXPECT_EQ(core::PacketSummary(v6),
              "ICMPv6 port unreachable (type 1 code 4) about [::1]:5000/udp");
    EXPECT_NE(ui::ExplainPacket(v6, core::Lang::kEn).find("no socket holds [::1]:5000/udp"),
              std::string::npos);
    // Another error is named as what it is, not called port unreachable.
    core::Packet odd = p;
    odd.icmp->type = 11;
    odd.icmp->code = 0;
    EXPECT_EQ(core::PacketSummary(odd),
              "ICMP time exceeded (type 11 code 0) about "
              "127.0.0.1:5000/udp");
    EXPECT_EQ(ui::ExplainPacket(odd, core::Lang::kEn).find("no socket holds"), std::string::npos);
}

// The number socket() gave, from a real session: the first socket's explanation says why it is
// not 3, in both languages; the second one's does not repeat it.
TEST(Explain, TheFirstSocketSaysWhyItsNumberIsNotThree) {
    core::Session session;
    SetUpHandshake(session);
    RunSteps(session, 1);  // the server's socket()
    const core::Event first = session.Log().back();
    ASSERT_EQ(first.phase, core::Phase::kReturn);
    ASSERT_EQ(first.request.call, core::CallKind::kSocket);
    ASSERT_GT(first.ret, 3) << "sockstep's own descriptors come first";
    const std::string fd = std::to_string(first.ret);
    const std::string en = ui::ExplainEvent(first, core::Lang::kEn);
    EXPECT_NE(en.find("descriptor " + fd + "."), std::string::npos) << en;
    EXPECT_NE(en.find("Why " + fd + " and not 3?"), std::string::npos) << en;
    EXPECT_NE(en.find("lowest number free"), std::string::npos) << en;
    const std::string ko = ui::ExplainEvent(first, core::Lang::kKo);
    EXPECT_NE(ko.find("왜 3이 아니라 " + fd + "일까요?"), std::string::npos) << ko;

    RunSteps(session, 5);  // bind, listen, accept (blocks), and the client's socket()
    const core::LogView log = session.Log();
    const core::Event* second = nullptr;
    for (size_t i = 0; i < log.size(); ++i) {
        if (log[i].request.call == core::CallKind::kSocket &&
            log[i].phase == core::Phase::kReturn) {
            second = &log[i];
        }
    }
    ASSERT_NE(second, nullptr);
    ASSERT_NE(second->ret, first.ret);
    const std::string again = ui::ExplainEvent(*second, core::Lang::kEn);
    EXPECT_NE(again.find("descriptor " + std::to_string(second->ret) + "."), std::string::npos)
        << again;
    EXPECT_EQ(again.find("and not 3?"), std::string::npos) << "said once is enough: " << again;
}

TEST(Strings, EveryStringExistsInBothLanguages) {
    for (int i = 0; i < static_cast<int>(ui::Text::kCount); ++i) {
        const auto t = static_cast<ui::Text>(i);
        EXPECT_NE(std::string(ui::Tr(t, core::Lang::kEn)), "") << i;
        EXPECT_NE(std::string(ui::Tr(t, core::Lang::kKo)), "") << i;
    }
    // The language switch always shows both names, so the atlas holds both.
    EXPECT_NE(ui::AllUiText(core::Lang::kEn).find("한국어"), std::string::npos);
}

TEST(Strings, PlaceholdersArePositional) {
    EXPECT_EQ(ui::Fmt(ui::Text::kStepOf, core::Lang::kEn, {"4", "10"}), "Step 4 of 10");
    EXPECT_EQ(ui::Fmt(ui::Text::kStepOf, core::Lang::kKo, {"4", "10"}), "10단계 중 4단계");
    EXPECT_EQ(ui::FormatPositional("{1}-{0}-{2}", {"a", "b"}), "b-a-");
}

}  // namespace
}  // namespace sockstep::testing

namespace sockstep::testing {
namespace {

// The latest Return event of `session`'s log.
core::Event LastReturn(core::Session& session) {
    const core::LogView log = session.Log();
    for (size_t i = log.size(); i-- > 0;) {
        if (log[i].phase == core::Phase::kReturn) return log[i];
    }
    ADD_FAILURE() << "no Return event";
    return {};
}

TEST(ExplainFreeMode, SendOnANeverConnectedSocketSaysWhatTheKernelSaidAndWhy) {
    using core::CallKind;
    core::Session session;
    session.AddActor({"client", core::Role::kClient, core::Family::kInet});
    ASSERT_EQ(session.Call(0, Request(CallKind::kSocket, "", "tcp")), core::StepOutcome::kReturned);
    auto send = Request(CallKind::kSend, "tcp");
    send.args.data = "hi";
    ASSERT_EQ(session.Call(0, send), core::StepOutcome::kReturned);
    const core::Event tcp_send = LastReturn(session);
    ASSERT_EQ(tcp_send.err, EPIPE);  // Linux TCP: EPIPE on a never-connected socket
    const std::string tcp_text = ui::ExplainEvent(tcp_send, core::Lang::kEn);
    EXPECT_NE(tcp_text.find("never connected"), std::string::npos) << tcp_text;
    EXPECT_EQ(tcp_text.find("peer"), std::string::npos) << tcp_text;

    ASSERT_EQ(session.Call(0, Request(CallKind::kRecv, "tcp")), core::StepOutcome::kReturned);
    const core::Event tcp_recv = LastReturn(session);
    ASSERT_EQ(tcp_recv.err, ENOTCONN);
    EXPECT_NE(ui::ExplainEvent(tcp_recv, core::Lang::kEn).find("ENOTCONN"), std::string::npos);

    auto udp = Request(CallKind::kSocket, "", "udp");
    udp.args.type = core::SockType::kDgram;
    ASSERT_EQ(session.Call(0, udp), core::StepOutcome::kReturned);
    // Bound first: an unbound UDP send() would bind the wildcard, which sockstep refuses.
    auto bind = Request(CallKind::kBind, "udp");
    bind.args.address.host = "127.0.0.1";
    ASSERT_EQ(session.Call(0, bind), core::StepOutcome::kReturned);
    auto udp_send = Request(CallKind::kSend, "udp");
    udp_send.args.data = "hi";
    ASSERT_EQ(session.Call(0, udp_send), core::StepOutcome::kReturned);
    const core::Event no_peer = LastReturn(session);
    ASSERT_EQ(no_peer.err, EDESTADDRREQ);
    const std::string udp_text = ui::ExplainEvent(no_peer, core::Lang::kEn);
    EXPECT_NE(udp_text.find("EDESTADDRREQ"), std::string::npos) << udp_text;
    EXPECT_NE(udp_text.find("sendto()"), std::string::npos) << udp_text;
    EXPECT_NE(ui::ExplainEvent(no_peer, core::Lang::kKo).find("EDESTADDRREQ"), std::string::npos);
}

// The Python view's notes: where the socket module differs from the system call, in both
// languages, and the exception that carries a failure's errno.
TEST(PythonNote, SaysWherePythonDiffersInBothLanguages) {
    core::CallRequest send;
    send.call = core::CallKind::kSend;
    EXPECT_NE(ui::PythonNote(send, core::Lang::kEn).find("sendall() calls send() again"),
              std::string::npos);
    EXPECT_NE(ui::PythonNote(send, core::Lang::kKo).find("sendall()은"), std::string::npos);
    core::CallRequest accept;
    accept.call = core::CallKind::kAccept;
    EXPECT_NE(ui::PythonNote(accept, core::Lang::kEn).find("(conn, address)"), std::string::npos);
    core::CallRequest listen;
    listen.call = core::CallKind::kListen;
    EXPECT_NE(ui::PythonNote(listen, core::Lang::kKo).find("socket.create_server"),
              std::string::npos);
    core::CallRequest connect;
    connect.call = core::CallKind::kConnect;
    EXPECT_EQ(ui::PythonNote(connect, core::Lang::kEn), "");  // the same call in both
    const std::string refused = ui::PythonNote(connect, core::Lang::kEn, ECONNREFUSED);
    EXPECT_NE(refused.find("ConnectionRefusedError, whose .errno is ECONNREFUSED"),
              std::string::npos)
        << refused;
    EXPECT_NE(ui::PythonNote(connect, core::Lang::kKo, EINPROGRESS).find("BlockingIOError"),
              std::string::npos);
    EXPECT_NE(ui::PythonNote(send, core::Lang::kEn, EPIPE).find("BrokenPipeError"),
              std::string::npos);
    // Every note's glyphs are in the atlas's text.
    const std::string atlas = ui::AllExplainText(core::Lang::kKo);
    EXPECT_NE(atlas.find(ui::PythonNote(send, core::Lang::kKo)), std::string::npos);
}

}  // namespace
}  // namespace sockstep::testing
