// Every built-in lesson, run headless through Session::RunToEnd on real loopback sockets, in
// both languages: every step runs, every expectation holds against the real kernel, every
// narration exists in the language, and no descriptor is left open afterwards.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <variant>

#include "sockstep/core/lesson.h"
#include "sockstep/core/session.h"

namespace sockstep::core {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kAssets = fs::path(SOCKSTEP_SOURCE_DIR) / "assets";
// The longest lesson (backlog-full) waits ~4 s for a SYN retransmission and a timeout.
constexpr auto kWatchdog = 60s;

int CountFds() {
    int n = 0;
    DIR* dir = opendir("/proc/self/fd");
    if (!dir) return -1;
    while (dirent* entry = readdir(dir)) n += entry->d_name[0] == '.' ? 0 : 1;
    closedir(dir);
    return n - 1;  // the directory's own descriptor
}

// Plays the real outside program of server-alone: waits for the listener, connects, sends a
// line, reads the answer to EOF. Records its own address so the test can find it in the log.
class OutsideClient {
  public:
    OutsideClient(Session& session, std::string listener) {
        m_thread =
            std::thread([this, &session, name = std::move(listener)] { Run(session, name); });
    }
    ~OutsideClient() { Join(); }
    OutsideClient(const OutsideClient&) = delete;
    OutsideClient& operator=(const OutsideClient&) = delete;

    void Stop() { m_stop = true; }
    void Join() {
        if (m_thread.joinable()) m_thread.join();
    }
    uint16_t LocalPort() const { return m_local_port; }
    const std::string& Answer() const { return m_answer; }

  private:
    void Run(Session& session, const std::string& name) {
        uint16_t port = 0;
        while (!m_stop && port == 0) {
            const Snapshot now = session.ProbeNow();
            const SocketView* l = FindSocketByName(now, name);
            if (l && l->tcp_state == TcpState::kListen && l->local) port = l->local->port;
            if (port == 0) std::this_thread::sleep_for(5ms);
        }
        if (port == 0) return;
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
            sockaddr_in me{};
            socklen_t len = sizeof me;
            getsockname(fd, reinterpret_cast<sockaddr*>(&me), &len);
            m_local_port = ntohs(me.sin_port);
            const char line[] = "hello from the test\n";
            [[maybe_unused]] const ssize_t sent = send(fd, line, sizeof line - 1, 0);
            char buffer[512];
            for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) {
                m_answer.append(buffer, static_cast<size_t>(n));
            }
        }
        close(fd);
    }

    std::atomic<bool> m_stop{false};
    std::atomic<uint16_t> m_local_port{0};
    std::string m_answer;
    std::thread m_thread;
};

struct Param {
    fs::path file;
    Lang lang;
};

std::vector<Param> AllLessonsBothLanguages() {
    std::vector<Param> out;
    for (const fs::path& file : BuiltinLessonFiles(kAssets)) {
        out.push_back({file, Lang::kEn});
        out.push_back({file, Lang::kKo});
    }
    return out;
}

class BuiltinLessonRun : public ::testing::TestWithParam<Param> {};

TEST_P(BuiltinLessonRun, EveryExpectationHoldsAndNothingLeaks) {
    const Param& param = GetParam();
    const LessonResult loaded = LoadLesson(param.file);
    ASSERT_TRUE(std::holds_alternative<Lesson>(loaded));
    const Lesson& lesson = std::get<Lesson>(loaded);

    const int fds_before = CountFds();
    {
        Session session;
        AddActors(session, lesson);
        session.SetScript(ToScript(lesson));

        std::atomic<bool> cancel{false};
        std::atomic<bool> done{false};
        std::thread watchdog([&] {
            const auto deadline = std::chrono::steady_clock::now() + kWatchdog;
            while (!done && std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(10ms);
            }
            cancel = !done.load();
        });
        std::unique_ptr<OutsideClient> client;
        int outside_step = -1;
        for (size_t i = 0; i < lesson.steps.size(); ++i) {
            if (lesson.steps[i].outside_client) {
                outside_step = static_cast<int>(i);
                client = std::make_unique<OutsideClient>(session, lesson.steps[i].request.socket);
            }
        }

        const StepOutcome outcome = session.RunToEnd(&cancel);
        done = true;
        if (client) client->Stop();
        watchdog.join();
        ASSERT_FALSE(cancel.load()) << "the lesson did not finish within the watchdog time";
        EXPECT_EQ(outcome, StepOutcome::kNoMoreSteps);

        const LogView log = session.Log();
        for (size_t i = 0; i < lesson.steps.size(); ++i) {
            const LessonStep& step = lesson.steps[i];
            SCOPED_TRACE("step " + std::to_string(i + 1) + " (line " + std::to_string(step.line) +
                         "): " + FormatCall(step.request));
            EXPECT_FALSE(step.narration.Get(param.lang).empty());
            const Event* returned = nullptr;
            for (size_t e = 0; e < log.size(); ++e) {
                const Event& ev = log[e];
                if (ev.step == static_cast<int>(i) &&
                    (ev.phase == Phase::kReturn || ev.phase == Phase::kRefused ||
                     ev.phase == Phase::kInterrupted)) {
                    returned = &ev;
                }
            }
            ASSERT_NE(returned, nullptr) << "the step never returned";
            EXPECT_EQ(returned->phase, Phase::kReturn) << returned->message;
            if (step.expect) {
                const ExpectCheck check = CheckExpect(*step.expect, *returned, log);
                EXPECT_TRUE(check.held)
                    << "expected: " << check.expected << "\n  the kernel did: " << check.actual;
            }
        }

        if (client) {
            // server-alone: the client's own address came out of accept(), and it got the answer.
            client->Join();  // the lesson closed the connection, so the reader saw EOF
            for (size_t e = 0; e < log.size(); ++e) {
                const Event& ev = log[e];
                if (ev.step == outside_step && ev.phase == Phase::kReturn) {
                    ASSERT_TRUE(ev.peer.has_value());
                    EXPECT_EQ(ev.peer->host, "127.0.0.1");
                }
            }
        }
    }
    EXPECT_EQ(CountFds(), fds_before) << "a descriptor was left open";
}

TEST(BuiltinLessonOutsideClient, TheClientsAddressIsWhatAcceptReturns) {
    const LessonResult loaded = FindLesson("server-alone", kAssets);
    ASSERT_TRUE(std::holds_alternative<Lesson>(loaded));
    const Lesson& lesson = std::get<Lesson>(loaded);
    Session session;
    AddActors(session, lesson);
    session.SetScript(ToScript(lesson));
    auto client = std::make_unique<OutsideClient>(session, "listener");
    ASSERT_EQ(session.RunToEnd(), StepOutcome::kNoMoreSteps);
    client->Stop();
    const uint16_t client_port = client->LocalPort();
    EXPECT_NE(client_port, 0);
    client->Join();  // the lesson closed the connection, so the client read to EOF
    EXPECT_NE(client->Answer().find("Hello from sockstep!"), std::string::npos) << client->Answer();
    const LogView log = session.Log();
    bool seen = false;
    for (size_t e = 0; e < log.size(); ++e) {
        const Event& ev = log[e];
        if (ev.request.call == CallKind::kAccept && ev.phase == Phase::kReturn) {
            ASSERT_TRUE(ev.peer);
            EXPECT_EQ(ev.peer->port, client_port);
            seen = true;
        }
        if (ev.request.call == CallKind::kRecv && ev.phase == Phase::kReturn) {
            EXPECT_EQ(ev.data, "hello from the test\n");
        }
    }
    EXPECT_TRUE(seen);
}

// A real outside program (python3, on 127.0.0.1 only) that sends a line and closes at once, its
// FIN in the listener's queue before accept() runs: every expectation of server-alone holds, the
// accept() one through the state such a client causes (CLOSE-WAIT), and the check says so.
TEST(BuiltinLessonOutsideClient, AClientThatSendsAndClosesAtOnceIsExpectedToo) {
    const LessonResult loaded = FindLesson("server-alone", kAssets);
    ASSERT_TRUE(std::holds_alternative<Lesson>(loaded));
    const Lesson& lesson = std::get<Lesson>(loaded);
    Session session;
    AddActors(session, lesson);
    session.SetScript(ToScript(lesson));
    size_t accept_step = lesson.steps.size();
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
        if (lesson.steps[i].request.call == CallKind::kAccept) accept_step = i;
    }
    ASSERT_LT(accept_step, lesson.steps.size());
    for (size_t i = 0; i < accept_step; ++i) ASSERT_EQ(session.StepNext(), StepOutcome::kReturned);
    const Snapshot before = session.ProbeNow();
    const SocketView* listener = FindSocketByName(before, "listener");
    ASSERT_TRUE(listener && listener->local);
    const uint16_t port = listener->local->port;
    const std::string command =
        "python3 -c \"import socket; s = socket.create_connection(('127.0.0.1', " +
        std::to_string(port) + ")); s.sendall(b'hello and goodbye\\n'); s.close()\"";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    // The client's FIN is in: the queued connection (no descriptor yet) is CLOSE-WAIT.
    bool queued = false;
    for (int i = 0; i < 5000 && !queued; ++i) {
        const Snapshot now = session.ProbeNow();
        for (const SocketView& v : now) {
            queued =
                queued || (v.local && v.local->port == port && v.tcp_state == TcpState::kCloseWait);
        }
        if (!queued) std::this_thread::sleep_for(1ms);
    }
    ASSERT_TRUE(queued) << "the client's FIN never reached the queued connection";
    ASSERT_EQ(session.RunToEnd(), StepOutcome::kNoMoreSteps);

    const LogView log = session.Log();
    for (size_t e = 0; e < log.size(); ++e) {
        const Event& ev = log[e];
        if (ev.phase != Phase::kReturn || ev.step < 0) continue;
        const LessonStep& step = lesson.steps[static_cast<size_t>(ev.step)];
        if (!step.expect) continue;
        const ExpectCheck check = CheckExpect(*step.expect, ev, log);
        EXPECT_TRUE(check.held) << FormatCall(ev.request) << ": expected " << check.expected
                                << "; the kernel did: " << check.actual;
        if (static_cast<size_t>(ev.step) == accept_step) {
            EXPECT_TRUE(check.peer_closed) << check.actual;
            EXPECT_NE(check.actual.find("CLOSE-WAIT"), std::string::npos) << check.actual;
        }
        if (ev.request.call == CallKind::kRecv) {
            EXPECT_EQ(ev.data, "hello and goodbye\n");
        }
    }
}

INSTANTIATE_TEST_SUITE_P(AllBuiltins, BuiltinLessonRun,
                         ::testing::ValuesIn(AllLessonsBothLanguages()),
                         [](const ::testing::TestParamInfo<Param>& param_info) {
                             std::string name = param_info.param.file.stem().string() + "_" +
                                                std::string(LangCode(param_info.param.lang));
                             for (char& c : name) {
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             }
                             return name;
                         });

}  // namespace
}  // namespace sockstep::core
