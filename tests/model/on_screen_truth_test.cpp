// Nothing false on screen (issue #13): the scene model of real lesson runs on loopback says what
// the kernel and the calls said, at the step where each was once wrong.
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <variant>

#include "sockstep/model/controller.h"
#include "sockstep/model/scene.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

core::Lesson Load(const std::string& file) {
    core::LessonResult loaded =
        core::LoadLesson(std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets/lessons" / file);
    EXPECT_TRUE(std::holds_alternative<core::Lesson>(loaded));
    return std::get<core::Lesson>(std::move(loaded));
}

// Runs the first `steps` steps of a lesson on the kernel and builds the scene after them.
class LessonRun {
  public:
    LessonRun(const std::string& file, size_t steps) : m_lesson(Load(file)) {
        m_controller.UseLesson(m_lesson);
        core::Session& session = *m_controller.session();
        RunSteps(session, steps);
        session.WaitIdle(m_lesson.steps[steps - 1].actor);
        m_scene = ui::BuildScene(session.Log(), session.Log().size());
    }
    const ui::SceneModel& scene() const { return m_scene; }
    const ui::SceneActor* Actor(const std::string& name) const {
        for (const ui::SceneActor& a : m_scene.actors) {
            if (a.name == name) return &a;
        }
        return nullptr;
    }
    const ui::SceneCard* Card(const std::string& name) const {
        for (const ui::SceneCard& c : m_scene.cards) {
            if (c.view.name == name) return &c;
        }
        return nullptr;
    }

  private:
    core::Lesson m_lesson;
    ui::Controller m_controller{std::nullopt};
    ui::SceneModel m_scene;
};

TEST(OnScreenTruth, AClosedUdpSocketKeepsTheUdpDiagram) {
    // udp step 12: the server closes rx, its only socket.
    const LessonRun run("09-udp.toml", 12);
    const ui::SceneActor* server = run.Actor("server");
    ASSERT_NE(server, nullptr);
    ASSERT_EQ(server->last_call, core::CallKind::kClose);
    EXPECT_EQ(server->type, core::SockType::kDgram);
}

TEST(OnScreenTruth, APaneWhoseSocketsAreAllClosedSaysSoAndNamesThem) {
    const LessonRun run("09-udp.toml", 12);
    const ui::SceneActor* server = run.Actor("server");
    ASSERT_NE(server, nullptr);
    ASSERT_TRUE(server->cards.empty());
    EXPECT_EQ(server->closed, std::vector<std::string>{"rx"});
    EXPECT_EQ(ui::EmptyPaneText(*server, core::Lang::kEn), "All its sockets are closed: rx.");
    EXPECT_EQ(ui::EmptyPaneText(*server, core::Lang::kKo), "소켓을 모두 닫았습니다: rx.");
    // The client still has its socket: its pane draws the card, not a sentence.
    const ui::SceneActor* client = run.Actor("client");
    ASSERT_NE(client, nullptr);
    EXPECT_FALSE(client->cards.empty());

    ui::SceneActor fresh;
    EXPECT_EQ(ui::EmptyPaneText(fresh, core::Lang::kEn), "No sockets yet.");
    fresh.closed = {"a", "b", "c", "d"};
    EXPECT_EQ(ui::EmptyPaneText(fresh, core::Lang::kEn), "All 4 of its sockets are closed.");
}

TEST(OnScreenTruth, ANonBlockingConnectIsConnectedOnceTheKernelSaysSo) {
    // nonblocking step 12: recv() on the client socket fails with EAGAIN; the card shows it.
    {
        const LessonRun run("10-nonblocking.toml", 12);
        const ui::SceneCard* sock = run.Card("sock");
        ASSERT_NE(sock, nullptr);
        ASSERT_EQ(sock->view.tcp_state, core::TcpState::kEstablished);
        EXPECT_EQ(sock->view.api_state, core::ApiState::kConnected);
        EXPECT_EQ(sock->last_err, EAGAIN);
        EXPECT_EQ(sock->last_err_call, core::CallKind::kRecv);
    }
    // Step 14: a poll() over it returned 1 (7 bytes to read): that EAGAIN is stale, not shown.
    const LessonRun run("10-nonblocking.toml", 14);
    const ui::SceneCard* sock = run.Card("sock");
    ASSERT_NE(sock, nullptr);
    EXPECT_EQ(sock->view.api_state, core::ApiState::kConnected);
    EXPECT_EQ(sock->view.inq, 7);
    EXPECT_EQ(sock->last_err, 0);
}

}  // namespace
}  // namespace sockstep::testing
