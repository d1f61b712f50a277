// A lesson that pins its port (`port = P`) when something else already holds 127.0.0.1:P: this
// test binds and listens on P first, then runs the lesson through the Session. bind() shows
// EADDRINUSE as its result, and the lesson goes on: listen() on the never-bound socket is
// refused before any call (Linux would bind it to 0.0.0.0), accept() on it fails with EINVAL as
// the transition table predicts, the client's connect() to it is refused (it has no address), and
// nothing crashes, blocks or leaks. `sockstep trace` on the same lesson is tested in
// tests/app/fault_cli_test.cpp.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "session_helpers.h"
#include "sockstep/core/lesson.h"

namespace sockstep::core::sessiontest {
namespace {

// The handshake with a pinned port (tests/support/port-taken.toml.in, shared with the app test).
std::string PinnedPortLesson(uint16_t port) {
    std::ifstream in(std::string(SOCKSTEP_SOURCE_DIR) + "/tests/support/port-taken.toml.in");
    std::stringstream text;
    text << in.rdbuf();
    std::string lesson = text.str();
    lesson.replace(lesson.find("@PORT@"), 6, std::to_string(port));
    return lesson;
}

// A listener of this test (another program, as far as the Session knows) on 127.0.0.1:P.
class Squatter {
  public:
    Squatter() {
        m_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && listen(m_fd, 1) == 0) {
            socklen_t len = sizeof a;
            getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
            m_port = ntohs(a.sin_port);
        }
    }
    ~Squatter() { close(m_fd); }
    Squatter(const Squatter&) = delete;
    Squatter& operator=(const Squatter&) = delete;
    uint16_t Port() const { return m_port; }

  private:
    int m_fd = -1;
    uint16_t m_port = 0;
};

const Event* LastOfStep(const LogView& log, int step) {
    const Event* found = nullptr;
    for (size_t i = 0; i < log.size(); ++i) {
        if (log[i].step == step && log[i].phase != Phase::kEnter &&
            log[i].phase != Phase::kBlocked) {
            found = &log[i];
        }
    }
    return found;
}

class FaultPortTaken : public SessionTest {};

TEST_F(FaultPortTaken, BindIsAddrInUseAndTheLessonGoesOnCleanly) {
    Squatter squatter;
    ASSERT_NE(squatter.Port(), 0);
    const LessonResult parsed = ParseLesson(PinnedPortLesson(squatter.Port()), "port-taken.toml");
    ASSERT_TRUE(std::holds_alternative<Lesson>(parsed))
        << std::get<std::vector<LessonError>>(parsed).front().Format();
    const Lesson& lesson = std::get<Lesson>(parsed);
    AddActors(S(), lesson);
    EXPECT_EQ(RunScript(S(), ToScript(lesson)), StepOutcome::kNoMoreSteps);
    const LogView log = S().Log();

    const Event* bind = LastOfStep(log, 1);
    ASSERT_NE(bind, nullptr);
    EXPECT_EQ(bind->phase, Phase::kReturn);
    EXPECT_EQ(bind->ret, -1);
    EXPECT_EQ(bind->err, EADDRINUSE) << ErrnoName(bind->err);
    EXPECT_FALSE(bind->mismatch) << "the table says it depends on the address being free";
    EXPECT_EQ(bind->predicted.depends, "the address being free");
    const ExpectCheck check = CheckExpect(*lesson.steps[1].expect, *bind, log);
    EXPECT_FALSE(check.held);
    EXPECT_NE(check.actual.find("EADDRINUSE"), std::string::npos) << check.actual;
    const SocketView* listener = OpenSocket(bind->sockets, "listener");
    ASSERT_NE(listener, nullptr);
    EXPECT_EQ(listener->api_state, ApiState::kCreated);
    EXPECT_FALSE(listener->local) << "the failed bind() gave no address";

    // listen() on the never-bound socket would bind 0.0.0.0: refused before any call.
    const Event* listen = LastOfStep(log, 2);
    ASSERT_NE(listen, nullptr);
    EXPECT_EQ(listen->phase, Phase::kRefused);
    EXPECT_FALSE(listen->message.empty());
    EXPECT_FALSE(HasEvent(log, 0, CallKind::kListen, Phase::kEnter));

    // accept() on a socket that is not listening: EINVAL, as the table predicts.
    const Event* accept = LastOfStep(log, 3);
    ASSERT_NE(accept, nullptr);
    EXPECT_EQ(accept->phase, Phase::kReturn);
    EXPECT_EQ(accept->err, EINVAL) << ErrnoName(accept->err);
    EXPECT_EQ(accept->predicted.result, EINVAL);
    EXPECT_FALSE(accept->mismatch);

    // connect() to the listener, which has no address: refused, no call made.
    const Event* connect = LastOfStep(log, 5);
    ASSERT_NE(connect, nullptr);
    EXPECT_EQ(connect->phase, Phase::kRefused) << connect->message;
    EXPECT_NE(connect->message.find("listener"), std::string::npos) << connect->message;
    EXPECT_FALSE(HasEvent(log, 1, CallKind::kConnect, Phase::kEnter));

    // Nothing is blocked; the squatter's port was never touched.
    for (const ActorStatus& a : S().Actors()) EXPECT_EQ(a.activity, ActorActivity::kIdle);
    for (const SocketView& v : S().ProbeNow()) {
        EXPECT_FALSE(v.fd >= 0 && v.local && v.local->port == squatter.Port()) << v.name;
    }
}

}  // namespace
}  // namespace sockstep::core::sessiontest
