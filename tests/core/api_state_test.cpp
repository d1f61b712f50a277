// The API state transition table on its own: Predict() for the textbook calls, never stricter
// than Linux (listen() without bind() succeeds), the next state after real outcomes, shutdown's
// halves, and the table's own consistency (no row shadowed by an earlier one).
#include "sockstep/core/api_state.h"

#include <cerrno>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

namespace sockstep::core {
namespace {

using S = ApiState;
using C = CallKind;

TEST(ApiStateTest, AcceptOnAListenerIsPredictedToWorkAndMayBlock) {
    const Prediction p = Predict(S::kListening, SockType::kStream, C::kAccept);
    EXPECT_TRUE(p.known);
    EXPECT_EQ(p.result, 0);
    EXPECT_TRUE(p.may_block);
    EXPECT_EQ(p.next, S::kListening) << "accept() gives a NEW socket; the listener stays";
}

TEST(ApiStateTest, AcceptOnAFreshSocketIsInvalid) {
    const Prediction p = Predict(S::kCreated, SockType::kStream, C::kAccept);
    EXPECT_TRUE(p.known);
    EXPECT_EQ(p.result, EINVAL);
    EXPECT_FALSE(p.why.empty());
    EXPECT_EQ(p.next, S::kCreated);
    EXPECT_EQ(Predict(S::kBound, SockType::kStream, C::kAccept).result, EINVAL);
}

TEST(ApiStateTest, ListenWithoutBindSucceedsLikeLinux) {
    const Prediction p = Predict(S::kCreated, SockType::kStream, C::kListen);
    EXPECT_TRUE(p.known);
    EXPECT_EQ(p.result, 0);
    EXPECT_EQ(p.next, S::kListening);
}

TEST(ApiStateTest, TextbookServerAndClientSequences) {
    EXPECT_EQ(Predict(S::kNone, SockType::kStream, C::kSocket).next, S::kCreated);
    EXPECT_EQ(Predict(S::kCreated, SockType::kStream, C::kBind).next, S::kBound);
    EXPECT_EQ(Predict(S::kBound, SockType::kStream, C::kListen).next, S::kListening);
    EXPECT_EQ(Predict(S::kCreated, SockType::kStream, C::kConnect).next, S::kConnected);
    EXPECT_TRUE(Predict(S::kCreated, SockType::kStream, C::kConnect).may_block);
    EXPECT_EQ(Predict(S::kConnected, SockType::kStream, C::kRecv).result, 0);
    EXPECT_TRUE(Predict(S::kConnected, SockType::kStream, C::kRecv).may_block);
    EXPECT_EQ(Predict(S::kConnected, SockType::kStream, C::kClose).next, S::kClosed);
}

TEST(ApiStateTest, ErrorsMeasuredOnLinux) {
    EXPECT_EQ(Predict(S::kCreated, SockType::kStream, C::kSend).result, EPIPE);
    EXPECT_EQ(Predict(S::kCreated, SockType::kStream, C::kRecv).result, ENOTCONN);
    EXPECT_EQ(Predict(S::kBound, SockType::kStream, C::kBind).result, EINVAL);
    EXPECT_EQ(Predict(S::kConnected, SockType::kStream, C::kConnect).result, EISCONN);
    EXPECT_EQ(Predict(S::kShutWr, SockType::kStream, C::kSend).result, EPIPE);
    EXPECT_EQ(Predict(S::kCreated, SockType::kDgram, C::kSend).result, EDESTADDRREQ);
    EXPECT_EQ(Predict(S::kCreated, SockType::kDgram, C::kListen).result, EOPNOTSUPP);
    EXPECT_EQ(Predict(S::kClosed, SockType::kStream, C::kSend).result, EBADF);
    EXPECT_EQ(Predict(S::kClosed, SockType::kStream, C::kClose).result, EBADF);
}

TEST(ApiStateTest, UdpConnectOnlyRecordsThePeer) {
    const Prediction p = Predict(S::kCreated, SockType::kDgram, C::kConnect);
    EXPECT_EQ(p.result, 0);
    EXPECT_FALSE(p.may_block);
    EXPECT_EQ(p.next, S::kConnected);
}

TEST(ApiStateTest, GenericCallsWorkOnEveryOpenState) {
    for (S s : {S::kCreated, S::kBound, S::kListening, S::kConnected, S::kShutWr}) {
        const Prediction p = Predict(s, SockType::kStream, C::kSetsockopt);
        EXPECT_TRUE(p.known) << ApiStateName(s);
        EXPECT_EQ(p.result, 0);
        EXPECT_EQ(p.next, s) << "setsockopt keeps the state";
        EXPECT_EQ(Predict(s, SockType::kStream, C::kClose).next, S::kClosed);
    }
}

TEST(ApiStateTest, NextStateFollowsWhatReallyHappened) {
    const SockType t = SockType::kStream;
    EXPECT_EQ(NextApiState(S::kCreated, t, C::kConnect, 0), S::kConnected);
    EXPECT_EQ(NextApiState(S::kCreated, t, C::kConnect, ECONNREFUSED), S::kCreated);
    EXPECT_EQ(NextApiState(S::kCreated, t, C::kConnect, EINPROGRESS), S::kConnecting);
    EXPECT_EQ(NextApiState(S::kConnecting, t, C::kConnect, 0), S::kConnected);
    EXPECT_EQ(NextApiState(S::kCreated, t, C::kBind, EADDRINUSE), S::kCreated);
    EXPECT_EQ(NextApiState(S::kListening, t, C::kAccept, 0), S::kListening);
    EXPECT_EQ(NextApiState(S::kConnected, t, C::kClose, EINTR), S::kClosed)
        << "close() releases the descriptor even when interrupted";
    // A call the table predicts to fail but the kernel allows keeps the state it was in.
    EXPECT_EQ(NextApiState(S::kCreated, t, C::kSend, 0), S::kCreated);
}

TEST(ApiStateTest, ShutdownHalvesCombine) {
    EXPECT_EQ(AfterShutdown(S::kConnected, ShutHow::kWr), S::kShutWr);
    EXPECT_EQ(AfterShutdown(S::kConnected, ShutHow::kRd), S::kShutRd);
    EXPECT_EQ(AfterShutdown(S::kConnected, ShutHow::kRdWr), S::kShutRdWr);
    EXPECT_EQ(AfterShutdown(S::kShutWr, ShutHow::kRd), S::kShutRdWr);
    EXPECT_EQ(AfterShutdown(S::kShutRd, ShutHow::kWr), S::kShutRdWr);
    EXPECT_EQ(AfterShutdown(S::kListening, ShutHow::kWr), S::kListening);
    EXPECT_EQ(AfterShutdown(S::kListening, ShutHow::kRdWr), S::kBound) << "SHUT_RD stops it";
}

TEST(ApiStateTest, NamesRoundTrip) {
    for (int i = 0; i < static_cast<int>(S::kCount); ++i) {
        const auto s = static_cast<S>(i);
        const std::string_view name = ApiStateName(s);
        EXPECT_FALSE(name.empty());
        EXPECT_EQ(ParseApiState(name), s) << name;
    }
    EXPECT_EQ(ParseApiState("Listening"), S::kListening);
    EXPECT_FALSE(ParseApiState("LISTEN"));
}

TEST(ApiStateTest, NoRowIsShadowedByAnEarlierOne) {
    // FindRow takes the first row for (type, state, call): a second one could never be used.
    std::set<std::tuple<int, int, int, int>> seen;
    for (const Transition& row : TransitionTable()) {
        for (int type = 0; type < 2; ++type) {
            const bool stream = type == 0;
            if (row.type == TypeMatch::kStream && !stream) continue;
            if (row.type == TypeMatch::kDgram && stream) continue;
            const auto key =
                std::make_tuple(type, static_cast<int>(row.from), static_cast<int>(row.call), 0);
            EXPECT_TRUE(seen.insert(key).second)
                << "duplicate row: " << ApiStateName(row.from) << " " << CallName(row.call)
                << (stream ? " (stream)" : " (dgram)");
        }
    }
}

TEST(ApiStateTest, EveryErrorRowSaysWhy) {
    for (const Transition& row : TransitionTable()) {
        if (row.result != 0) {
            EXPECT_FALSE(row.why.empty())
                << ApiStateName(row.from) << " " << CallName(row.call) << " has no reason";
        }
    }
}

}  // namespace
}  // namespace sockstep::core
