// CheckExpect against hand-made events: results, errno, bytes, and kernel states found by name,
// through the log after close(), and for sockets the kernel has forgotten.
#include <gtest/gtest.h>

#include <cerrno>

#include "sockstep/core/event_log.h"
#include "sockstep/core/lesson.h"

namespace sockstep::core {
namespace {

SocketView View(int id, const std::string& name, std::optional<TcpState> tcp,
                ApiState api = ApiState::kConnected) {
    SocketView v;
    v.id = id;
    v.name = name;
    v.tcp_state = tcp;
    v.api_state = api;
    return v;
}

Event Returned(CallKind call, int64_t ret, int err, Snapshot sockets) {
    Event e;
    e.phase = Phase::kReturn;
    e.request.call = call;
    e.ret = ret;
    e.err = err;
    e.sockets = std::move(sockets);
    return e;
}

TEST(LessonExpect, SuccessAndErrno) {
    Expect ok;
    ok.err = 0;
    EXPECT_TRUE(CheckExpect(ok, Returned(CallKind::kBind, 0, 0, {})).held);
    const ExpectCheck failed = CheckExpect(ok, Returned(CallKind::kBind, -1, EADDRINUSE, {}));
    EXPECT_FALSE(failed.held);
    EXPECT_EQ(failed.expected, "success");
    EXPECT_NE(failed.actual.find("EADDRINUSE"), std::string::npos);
    EXPECT_NE(failed.actual.find("Address already in use"), std::string::npos);

    Expect refused;
    refused.err = ECONNREFUSED;
    EXPECT_TRUE(CheckExpect(refused, Returned(CallKind::kConnect, -1, ECONNREFUSED, {})).held);
    const ExpectCheck got_success = CheckExpect(refused, Returned(CallKind::kConnect, 0, 0, {}));
    EXPECT_FALSE(got_success.held);
    EXPECT_EQ(got_success.expected, "ECONNREFUSED");
    EXPECT_EQ(got_success.actual, "success");
}

TEST(LessonExpect, ReturnValueAndReceivedBytes) {
    Expect e;
    e.ret = 10;
    e.data = "helloworld";
    Event ev = Returned(CallKind::kRecv, 10, 0, {});
    ev.data = "helloworld";
    EXPECT_TRUE(CheckExpect(e, ev).held);
    ev.ret = 5;
    ev.data = "hello";
    const ExpectCheck c = CheckExpect(e, ev);
    EXPECT_FALSE(c.held);
    EXPECT_EQ(c.expected, "returns 10; receives \"helloworld\"");
    EXPECT_EQ(c.actual, "returned 5; received \"hello\"");
    // A failed call never satisfies a return value.
    Expect zero;
    zero.ret = 0;
    EXPECT_FALSE(CheckExpect(zero, Returned(CallKind::kRecv, -1, ECONNRESET, {})).held);
}

TEST(LessonExpect, ReceivedBytesAreQuotedShortly) {
    // A peer may send 64 KB; the failed expectation quotes only its start, so it stays one line.
    Expect e;
    e.data = "hello";
    Event ev = Returned(CallKind::kRecv, 65536, 0, {});
    ev.data = std::string(65536, 'x');
    const ExpectCheck c = CheckExpect(e, ev);
    EXPECT_FALSE(c.held);
    EXPECT_LT(c.actual.size(), 300u) << c.actual.substr(0, 300);
    EXPECT_NE(c.actual.find("received \"xxxx"), std::string::npos) << c.actual.substr(0, 300);
    EXPECT_NE(c.actual.find("..."), std::string::npos);
}

TEST(LessonExpect, StatesByNameWithAlternatives) {
    Expect e;
    StateExpect listener;
    listener.socket = "listener";
    listener.tcp = TcpState::kListen;
    listener.accept_queue = 2;
    StateExpect conn;
    conn.socket = "conn";
    conn.tcp = TcpState::kFinWait1;
    conn.tcp_or = {TcpState::kFinWait2};
    e.states = {listener, conn};

    SocketView l = View(0, "listener", TcpState::kListen, ApiState::kListening);
    l.accept_queue = 2;
    SocketView c = View(1, "conn", TcpState::kFinWait2, ApiState::kClosed);
    EXPECT_TRUE(CheckExpect(e, Returned(CallKind::kClose, 0, 0, {l, c})).held);

    l.accept_queue = 1;
    c.tcp_state = TcpState::kTimeWait;
    const ExpectCheck check = CheckExpect(e, Returned(CallKind::kClose, 0, 0, {l, c}));
    EXPECT_FALSE(check.held);
    EXPECT_EQ(check.expected, "listener: LISTEN, accept queue 2; conn: FIN-WAIT-1 or FIN-WAIT-2");
    EXPECT_EQ(check.actual, "listener: LISTEN, accept queue 1; conn: TIME-WAIT");
}

TEST(LessonExpect, ApiStateAndBytesToRead) {
    Expect e;
    StateExpect s;
    s.socket = "sock";
    s.api = ApiState::kShutWr;
    s.inq = 12;
    e.states = {s};
    SocketView v = View(3, "sock", TcpState::kFinWait2, ApiState::kShutWr);
    v.inq = 12;
    EXPECT_TRUE(CheckExpect(e, Returned(CallKind::kSend, 12, 0, {v})).held);
    v.inq = 0;
    EXPECT_FALSE(CheckExpect(e, Returned(CallKind::kSend, 12, 0, {v})).held);
}

TEST(LessonExpect, AClosedConnectionIsFoundThroughTheLog) {
    // After close() the kernel keeps the connection (TIME-WAIT) but the snapshot may not carry
    // the name; the log knows which id the name had.
    EventLog log;
    Event created = Returned(CallKind::kAccept, 4, 0, {});
    created.request.result = "conn";
    created.result_socket_id = 7;
    log.Append(created);
    Event later =
        Returned(CallKind::kClose, 0, 0, {View(7, "", TcpState::kTimeWait, ApiState::kClosed)});
    later.request.socket = "sock";
    later.socket_id = 2;
    log.Append(later);

    Expect e;
    StateExpect s;
    s.socket = "conn";
    s.tcp = TcpState::kTimeWait;
    e.states = {s};
    const LogView view = log.View();
    EXPECT_TRUE(CheckExpect(e, view[1], view).held);
    // Without the log the name cannot be resolved.
    EXPECT_FALSE(CheckExpect(e, view[1]).held);
}

TEST(LessonExpect, TheEventsOwnSocketsResolveWithoutTheLog) {
    Event ev = Returned(CallKind::kAccept, 5, 0, {View(9, "", TcpState::kEstablished)});
    ev.request.result = "conn";
    ev.result_socket_id = 9;
    Expect e;
    StateExpect s;
    s.socket = "conn";
    s.tcp = TcpState::kEstablished;
    e.states = {s};
    EXPECT_TRUE(CheckExpect(e, ev).held);
}

TEST(LessonExpect, ASocketTheKernelForgotIsOnlyClosed) {
    Expect closed;
    StateExpect s;
    s.socket = "gone";
    s.api = ApiState::kClosed;
    closed.states = {s};
    EXPECT_TRUE(CheckExpect(closed, Returned(CallKind::kClose, 0, 0, {})).held);

    Expect tcp;
    s.api.reset();
    s.tcp = TcpState::kTimeWait;
    tcp.states = {s};
    const ExpectCheck c = CheckExpect(tcp, Returned(CallKind::kClose, 0, 0, {}));
    EXPECT_FALSE(c.held);
    EXPECT_NE(c.actual.find("no such socket"), std::string::npos);
}

TEST(LessonExpect, RefusedAndInterruptedCallsNeverHold) {
    Expect ok;
    ok.err = 0;
    Event refused;
    refused.phase = Phase::kRefused;
    refused.message = "'10.0.0.1' is not a loopback address";
    const ExpectCheck c = CheckExpect(ok, refused);
    EXPECT_FALSE(c.held);
    EXPECT_NE(c.actual.find("refused"), std::string::npos);
    EXPECT_NE(c.actual.find("10.0.0.1"), std::string::npos);

    Event interrupted;
    interrupted.phase = Phase::kInterrupted;
    EXPECT_FALSE(CheckExpect(ok, interrupted).held);
}

}  // namespace
}  // namespace sockstep::core
