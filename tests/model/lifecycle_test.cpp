// The lifecycle graph comes from core's transition table: socket → bind → listen on one path,
// connect on the other, close from anywhere; UDP has no listen.
#include "sockstep/model/lifecycle.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace sockstep::testing {
namespace {

using core::ApiState;
using core::CallKind;

bool HasEdge(const ui::LifecycleGraph& g, ApiState from, ApiState to, CallKind call) {
    return std::any_of(g.edges.begin(), g.edges.end(), [&](const ui::LifecycleEdge& e) {
        return e.from == from && e.to == to &&
               std::find(e.calls.begin(), e.calls.end(), call) != e.calls.end();
    });
}

TEST(Lifecycle, TcpGraphFollowsTheTable) {
    const ui::LifecycleGraph g = ui::BuildLifecycle(core::SockType::kStream);
    EXPECT_TRUE(HasEdge(g, ApiState::kNone, ApiState::kCreated, CallKind::kSocket));
    EXPECT_TRUE(HasEdge(g, ApiState::kCreated, ApiState::kBound, CallKind::kBind));
    EXPECT_TRUE(HasEdge(g, ApiState::kBound, ApiState::kListening, CallKind::kListen));
    // Linux is lenient and so is the table: listen() without bind().
    EXPECT_TRUE(HasEdge(g, ApiState::kCreated, ApiState::kListening, CallKind::kListen));
    EXPECT_TRUE(HasEdge(g, ApiState::kCreated, ApiState::kConnected, CallKind::kConnect));
    EXPECT_TRUE(HasEdge(g, ApiState::kConnected, ApiState::kShutWr, CallKind::kShutdown));
    ASSERT_NE(g.Find(ApiState::kListening), nullptr);
    const auto& loops = g.Find(ApiState::kListening)->loops;
    EXPECT_NE(std::find(loops.begin(), loops.end(), CallKind::kAccept), loops.end());
    EXPECT_NE(std::find(g.from_any.begin(), g.from_any.end(), CallKind::kClose), g.from_any.end());
    // Ranks read top to bottom: socket before bind before listen, close last.
    EXPECT_LT(g.Find(ApiState::kCreated)->rank, g.Find(ApiState::kBound)->rank);
    EXPECT_LT(g.Find(ApiState::kBound)->rank, g.Find(ApiState::kListening)->rank);
    EXPECT_EQ(g.Find(ApiState::kListening)->rank, g.Find(ApiState::kConnected)->rank);
    EXPECT_EQ(g.Find(ApiState::kClosed)->rank, g.ranks - 1);
    EXPECT_EQ(g.columns, 2);
    // Connecting needs O_NONBLOCK (EINPROGRESS, not a successful row): not on the happy path.
    EXPECT_EQ(g.Find(ApiState::kConnecting), nullptr);
}

TEST(Lifecycle, UdpGraphHasNoListening) {
    const ui::LifecycleGraph g = ui::BuildLifecycle(core::SockType::kDgram);
    EXPECT_EQ(g.Find(ApiState::kListening), nullptr);
    EXPECT_TRUE(HasEdge(g, ApiState::kCreated, ApiState::kBound, CallKind::kBind));
    EXPECT_TRUE(HasEdge(g, ApiState::kCreated, ApiState::kConnected, CallKind::kConnect));
}

}  // namespace
}  // namespace sockstep::testing
