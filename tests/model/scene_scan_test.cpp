// SceneScan: a scene built with what earlier builds read of the log is the scene BuildScene
// makes reading it afresh, for every cursor, whichever way the cursor moves, as the log grows,
// and when the log or the actors change under the same scan.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "sockstep/core/event_log.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/trace_json.h"
#include "sockstep/model/scene.h"
#include "test_scripts.h"

#ifndef SOCKSTEP_SOURCE_DIR
#error "tests/CMakeLists.txt defines SOCKSTEP_SOURCE_DIR (the saved runs are read from it)"
#endif

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

// Every field of the two scenes, naming the first that differs.
void ExpectSameScene(const ui::SceneModel& kept, const ui::SceneModel& fresh,
                     const std::string& where) {
    SCOPED_TRACE(where);
    EXPECT_EQ(kept.cursor, fresh.cursor);
    EXPECT_EQ(kept.total, fresh.total);
    EXPECT_EQ(kept.history, fresh.history);
    EXPECT_EQ(kept.t_us, fresh.t_us);
    EXPECT_EQ(kept.current, fresh.current);
    EXPECT_EQ(kept.outside, fresh.outside);
    EXPECT_EQ(kept.kernel_only, fresh.kernel_only);
    EXPECT_EQ(kept.any_blocked, fresh.any_blocked);
    EXPECT_EQ(kept.any_timer, fresh.any_timer);
    EXPECT_EQ(kept.packets_total, fresh.packets_total);
    ASSERT_EQ(kept.actors.size(), fresh.actors.size());
    for (size_t a = 0; a < kept.actors.size(); ++a) {
        const ui::SceneActor& k = kept.actors[a];
        const ui::SceneActor& f = fresh.actors[a];
        SCOPED_TRACE("actor " + std::to_string(a));
        EXPECT_EQ(k.name, f.name);
        EXPECT_EQ(k.role, f.role);
        EXPECT_EQ(k.cards, f.cards);
        EXPECT_EQ(k.blocked.has_value(), f.blocked.has_value());
        if (k.blocked && f.blocked) {
            EXPECT_EQ(k.blocked->call, f.blocked->call);
            EXPECT_EQ(k.blocked->socket_id, f.blocked->socket_id);
            EXPECT_EQ(k.blocked->since_us, f.blocked->since_us);
            EXPECT_EQ(k.blocked->wchan, f.blocked->wchan);
        }
        EXPECT_EQ(k.running, f.running);
        EXPECT_EQ(k.last_event, f.last_event);
        EXPECT_EQ(k.failed_err, f.failed_err);
        EXPECT_EQ(k.socket_states, f.socket_states);
        EXPECT_EQ(k.last_call, f.last_call);
        EXPECT_EQ(k.last_from, f.last_from);
        EXPECT_EQ(k.last_to, f.last_to);
        EXPECT_EQ(k.type, f.type);
        EXPECT_EQ(k.closed, f.closed);
    }
    ASSERT_EQ(kept.cards.size(), fresh.cards.size());
    for (size_t i = 0; i < kept.cards.size(); ++i) {
        const ui::SceneCard& k = kept.cards[i];
        const ui::SceneCard& f = fresh.cards[i];
        SCOPED_TRACE("card " + std::to_string(i) + " (" + f.view.name + ")");
        EXPECT_TRUE(k.view == f.view);
        EXPECT_EQ(k.source, f.source);
        EXPECT_EQ(k.placement, f.placement);
        EXPECT_EQ(k.pane, f.pane);
        EXPECT_EQ(k.parent, f.parent);
        EXPECT_EQ(k.accepted, f.accepted);
        EXPECT_EQ(k.fresh, f.fresh);
        EXPECT_EQ(k.touched, f.touched);
        EXPECT_EQ(k.last_err, f.last_err);
        EXPECT_EQ(k.last_err_call, f.last_err_call);
        EXPECT_EQ(k.last_err_why, f.last_err_why);
        EXPECT_EQ(k.last_err_event, f.last_err_event);
        EXPECT_EQ(k.timer_ref_us, f.timer_ref_us);
        EXPECT_EQ(k.in_focus, f.in_focus);
    }
    ASSERT_EQ(kept.links.size(), fresh.links.size());
    for (size_t i = 0; i < kept.links.size(); ++i) {
        EXPECT_EQ(kept.links[i].a, fresh.links[i].a);
        EXPECT_EQ(kept.links[i].b, fresh.links[i].b);
        EXPECT_EQ(kept.links[i].kind, fresh.links[i].kind);
    }
    ASSERT_EQ(kept.packets.size(), fresh.packets.size());
    for (size_t i = 0; i < kept.packets.size(); ++i) {
        const ui::ScenePacket& k = kept.packets[i];
        const ui::ScenePacket& f = fresh.packets[i];
        EXPECT_EQ(k.event, f.event);
        EXPECT_EQ(k.from, f.from);
        EXPECT_EQ(k.from_name, f.from_name);
        EXPECT_EQ(k.to_name, f.to_name);
        EXPECT_EQ(k.cause, f.cause);
        EXPECT_EQ(k.current, f.current);
    }
}

// The cursors a learner's clicks visit: forward through the log, back to the start, then
// jumps (fixed seed: the same jumps on every run).
std::vector<size_t> Cursors(size_t size) {
    std::vector<size_t> out;
    for (size_t c = 0; c <= size; ++c) out.push_back(c);
    for (size_t c = size + 1; c-- > 0;) out.push_back(c);
    std::mt19937 random(20261202);
    std::uniform_int_distribution<size_t> any(0, size);
    for (int i = 0; i < 40; ++i) out.push_back(any(random));
    return out;
}

ui::SceneContext Context(const core::LogView& log) {
    return {ui::InferActors(log), nullptr, -1, {}};
}

// A log with a scene that has something to tell: the lesson run to its end.
core::LogView LessonRun(const std::string& file) {
    const core::LessonResult lesson =
        core::LoadLesson(fs::path(SOCKSTEP_SOURCE_DIR) / "assets" / "lessons" / file);
    if (!std::holds_alternative<core::Lesson>(lesson)) {
        ADD_FAILURE() << file << " did not load";
        return {};
    }
    LessonLog run(file, std::get<core::Lesson>(lesson).steps.size());
    return run.Log();
}

class SceneScanLesson : public ::testing::TestWithParam<std::string> {};

TEST_P(SceneScanLesson, EveryCursorIsTheSceneReadAfresh) {
    const core::LogView log = LessonRun(GetParam());
    ASSERT_GT(log.size(), 4u);
    const ui::SceneContext context = Context(log);
    ui::SceneScan scan;
    for (const size_t cursor : Cursors(log.size())) {
        ExpectSameScene(ui::BuildScene(log, cursor, context, scan),
                        ui::BuildScene(log, cursor, context), "cursor " + std::to_string(cursor));
        if (::testing::Test::HasFailure()) return;
    }
}

INSTANTIATE_TEST_SUITE_P(Lessons, SceneScanLesson,
                         ::testing::Values("01-handshake.toml", "03-accept-queue.toml",
                                           "05-echo.toml", "07-half-close.toml", "08-reset.toml",
                                           "09-udp.toml", "10-nonblocking.toml"),
                         [](const auto& param) {
                             std::string name = param.param.substr(0, param.param.find('.'));
                             std::replace(name.begin(), name.end(), '-', '_');
                             return "L" + name;
                         });

TEST(SceneScan, ALiveLogGrowingStepByStepIsReadOnWithTheSameScenes) {
    core::Session session;
    SetUpHandshake(session);
    const ui::SceneContext context{
        {{"server", core::Role::kServer}, {"client", core::Role::kClient}}, nullptr, -1, {}};
    ui::SceneScan scan;
    for (size_t step = 0; step < session.ScriptSize(); ++step) {
        RunSteps(session, 1);
        const core::LogView log = session.Log();
        ExpectSameScene(ui::BuildScene(log, log.size(), context, scan),
                        ui::BuildScene(log, log.size(), context),
                        "after step " + std::to_string(step));
        // The learner looks back one event, then the next call comes.
        if (log.size() > 1) {
            ExpectSameScene(ui::BuildScene(log, log.size() - 1, context, scan),
                            ui::BuildScene(log, log.size() - 1, context),
                            "one back after step " + std::to_string(step));
        }
    }
}

TEST(SceneScan, AnotherLogOrMoreActorsUnderTheSameScanReadAfresh) {
    const core::LogView handshake = LessonRun("01-handshake.toml");
    const core::LogView refused = LessonRun("02-refused.toml");
    ui::SceneScan scan;
    // A longer log's scan must not be taken for a shorter one's, nor the other way round.
    for (const core::LogView* log : {&handshake, &refused, &handshake, &refused}) {
        ExpectSameScene(ui::BuildScene(*log, log->size(), Context(*log), scan),
                        ui::BuildScene(*log, log->size(), Context(*log)), "whole log");
    }
    // The front end knows a third actor the log does not name: its pane is the scan's too.
    ui::SceneContext more = Context(handshake);
    more.actors.push_back({"watcher", core::Role::kClient});
    ExpectSameScene(ui::BuildScene(handshake, handshake.size(), more, scan),
                    ui::BuildScene(handshake, handshake.size(), more), "three actors");
    // A log that is the first part of the one scanned is another LogView of the same events.
    ExpectSameScene(ui::BuildScene(handshake, 3, Context(handshake), scan),
                    ui::BuildScene(handshake, 3, Context(handshake)), "back to 3");
}

// A saved run with captured packets (the wire's sides come from the scan's packet events), as
// a file log is: its own events, not a session's.
TEST(SceneScan, ASavedRunWithPacketsIsTheSceneReadAfresh) {
    const fs::path file = fs::path(SOCKSTEP_SOURCE_DIR) / "tests" / "data" / "walk" /
                          "04-backlog-full-late-acks.jsonl";
    std::ifstream in(file);
    ASSERT_TRUE(in) << file;
    auto read = core::ReadJsonLines(in);
    ASSERT_TRUE(std::holds_alternative<std::vector<core::Event>>(read)) << file;
    core::EventLog events;
    size_t packets = 0;
    for (core::Event& e : std::get<std::vector<core::Event>>(read)) {
        packets += e.phase == core::Phase::kPacket ? 1 : 0;
        events.Append(std::move(e));
    }
    ASSERT_GT(packets, 0u) << "the saved run was meant to carry packets";
    const core::LogView log = events.View();
    const ui::SceneContext context = Context(log);
    ui::SceneScan scan;
    size_t drawn = 0;
    for (const size_t cursor : Cursors(log.size())) {
        const ui::SceneModel kept = ui::BuildScene(log, cursor, context, scan);
        drawn += kept.packets.size();
        ExpectSameScene(kept, ui::BuildScene(log, cursor, context),
                        "cursor " + std::to_string(cursor));
        if (::testing::Test::HasFailure()) return;
    }
    EXPECT_GT(drawn, 0u);
}

}  // namespace
}  // namespace sockstep::testing
