// The append-only EventLog: sequence numbers, views that are immutable snapshots of the first
// size() events, Clear() keeping old views alive, and the concurrency contract the UI relies on:
// a view taken while another thread appends 10,000 events stays valid and unchanged, and every
// new view sees a consistent prefix. (The suite also runs under ThreadSanitizer.)
#include "sockstep/core/event_log.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace sockstep::core {
namespace {

Event Numbered(uint64_t n) {
    Event e;
    e.actor = static_cast<int>(n % 3);
    e.message = "event " + std::to_string(n);
    e.ret = static_cast<int64_t>(n) * 7;
    SocketView v;
    v.id = static_cast<int>(n);
    v.name = "s" + std::to_string(n);
    e.sockets.push_back(v);
    return e;
}

// Checks that `view` holds exactly events 0 … size-1 as Numbered() made them.
void ExpectConsistent(const LogView& view) {
    for (size_t i = 0; i < view.size(); ++i) {
        const Event& e = view[i];
        ASSERT_EQ(e.seq, i);
        ASSERT_EQ(e.message, "event " + std::to_string(i));
        ASSERT_EQ(e.ret, static_cast<int64_t>(i) * 7);
        ASSERT_EQ(e.sockets.size(), 1u);
        ASSERT_EQ(e.sockets[0].name, "s" + std::to_string(i));
    }
}

TEST(EventLogTest, AppendAssignsSequenceNumbers) {
    EventLog log;
    EXPECT_EQ(log.size(), 0u);
    EXPECT_TRUE(log.View().empty());
    for (uint64_t i = 0; i < 600; ++i) EXPECT_EQ(log.Append(Numbered(i)), i);
    EXPECT_EQ(log.size(), 600u);
    const LogView view = log.View();
    EXPECT_EQ(view.size(), 600u);
    EXPECT_EQ(view.back().seq, 599u);
    ExpectConsistent(view);
}

TEST(EventLogTest, AViewIsASnapshot) {
    EventLog log;
    for (uint64_t i = 0; i < 10; ++i) log.Append(Numbered(i));
    const LogView early = log.View();
    for (uint64_t i = 10; i < kEventBlockSize * 3; ++i) log.Append(Numbered(i));
    EXPECT_EQ(early.size(), 10u);
    ExpectConsistent(early);
    EXPECT_EQ(log.View().size(), kEventBlockSize * 3);
}

TEST(EventLogTest, ClearStartsAnEmptyLogAndOldViewsSurvive) {
    EventLog log;
    for (uint64_t i = 0; i < 300; ++i) log.Append(Numbered(i));
    const LogView old = log.View();
    log.Clear();
    EXPECT_EQ(log.size(), 0u);
    EXPECT_TRUE(log.View().empty());
    EXPECT_EQ(log.Append(Numbered(0)), 0u) << "sequence numbers restart";
    ASSERT_EQ(old.size(), 300u);
    ExpectConsistent(old);
}

TEST(EventLogTest, ViewsStayValidWhileAnotherThreadAppends) {
    constexpr uint64_t kEvents = 10000;
    EventLog log;
    for (uint64_t i = 0; i < 100; ++i) log.Append(Numbered(i));
    const LogView before = log.View();

    std::atomic<bool> done{false};
    std::thread writer([&] {
        for (uint64_t i = 100; i < 100 + kEvents; ++i) log.Append(Numbered(i));
        done = true;
    });
    // The reader keeps taking views and reading them, without any lock, while the writer goes.
    size_t last_size = 0;
    int views = 0;
    std::vector<LogView> kept;
    while (!done.load() || views < 10) {
        const LogView view = log.View();
        ASSERT_GE(view.size(), last_size) << "the log only grows";
        last_size = view.size();
        ASSERT_NO_FATAL_FAILURE(ExpectConsistent(view));
        if (views % 16 == 0) kept.push_back(view);
        ++views;
    }
    writer.join();

    EXPECT_EQ(log.size(), 100 + kEvents);
    ASSERT_EQ(before.size(), 100u) << "an old view does not grow";
    ExpectConsistent(before);
    for (const LogView& view : kept) ExpectConsistent(view);
    ExpectConsistent(log.View());
}

}  // namespace
}  // namespace sockstep::core
