// Running out of descriptors. In a forked child (the test binary keeps its own limit), the soft
// RLIMIT_NOFILE is lowered to just above the descriptors in use; socket() then fails with EMFILE
// and the Session shows it as the call's result. accept() at the limit fails with EMFILE too,
// and the connection stays in the kernel's accept queue until a descriptor is free. After
// Reset() the session works again at the low limit, and the handshake lesson runs with every
// expectation holding once the limit is raised back.
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "fault_child.h"
#include "session_helpers.h"
#include "sockstep/core/lesson.h"

namespace sockstep::core::sessiontest {
namespace {

using faulttest::Checker;
using faulttest::HighestFd;

// Runs the whole script and checks every step returned as its expectation says.
void RunLessonChecked(Checker& c, Session& s, const Lesson& lesson, const std::string& label) {
    s.SetScript(ToScript(lesson));
    const StepOutcome outcome = s.RunToEnd();
    c.Check(outcome == StepOutcome::kNoMoreSteps,
            label + ": RunToEnd said " + std::string(StepOutcomeName(outcome)));
    const LogView log = s.Log();
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
        const Event* returned = nullptr;
        for (size_t e = 0; e < log.size(); ++e) {
            if (log[e].step == static_cast<int>(i) && log[e].phase != Phase::kEnter &&
                log[e].phase != Phase::kBlocked) {
                returned = &log[e];
            }
        }
        const std::string where = label + ", step " + std::to_string(i + 1);
        if (!c.Check(returned != nullptr, where + ": never returned")) continue;
        c.Check(returned->phase == Phase::kReturn, where + ": " + returned->message);
        if (lesson.steps[i].expect) {
            const ExpectCheck check = CheckExpect(*lesson.steps[i].expect, *returned, log);
            c.Check(check.held,
                    where + ": expected " + check.expected + ", the kernel did " + check.actual);
        }
    }
}

std::optional<Event> ReturnOf(Session& s, int actor) {
    WaitActorIdle(s, actor);
    return LastReturnOf(s.Log(), actor);
}

void RunOutOfDescriptors(Checker& c) {
    const LessonResult loaded =
        FindLesson("handshake", std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets");
    if (!c.Check(std::holds_alternative<Lesson>(loaded), "the handshake lesson did not load")) {
        return;
    }
    const Lesson& lesson = std::get<Lesson>(loaded);
    rlimit original{};
    getrlimit(RLIMIT_NOFILE, &original);
    const int fds_at_start = CountOpenFds();

    auto session = std::make_unique<Session>();
    Session& s = *session;
    AddActors(s, lesson);  // 0: server, 1: client
    // What the empty session holds by itself (a packet capture socket when it can capture).
    const int fds_with_session = CountOpenFds();
    const int srv = 0;
    const int cli = 1;
    s.Call(srv, MakeSocket("listener"));
    s.Call(srv, MakeBind("listener"));
    s.Call(srv, MakeListen("listener"));
    s.Call(cli, MakeSocket("client"));
    s.Call(cli, MakeConnect("client", "listener"));
    c.Check(LastReturnOf(s.Log(), cli) && LastReturnOf(s.Log(), cli)->err == 0,
            "the client did not connect");

    // Two numbers above the highest open descriptor; the numbers below it that are free (a
    // test runner may pass a high descriptor down) are free too.
    rlimit low = original;
    low.rlim_cur = static_cast<rlim_t>(HighestFd() + 1 + 2);
    const int room = static_cast<int>(low.rlim_cur) - CountOpenFds();
    if (!c.Check(setrlimit(RLIMIT_NOFILE, &low) == 0, "setrlimit failed")) return;

    int made = 0;
    std::optional<Event> failed;
    for (int i = 0; i < room + 8 && !failed; ++i) {
        const std::string name = "fill" + std::to_string(i);
        const StepOutcome outcome = s.Call(srv, MakeSocket(name));
        const std::optional<Event> e = ReturnOf(s, srv);
        if (!c.Check(outcome == StepOutcome::kReturned && e.has_value(),
                     name + ": socket() did not return")) {
            return;
        }
        if (e->err == 0) {
            ++made;
        } else {
            failed = e;
        }
    }
    if (!c.Check(failed.has_value(), "socket() never failed at the low limit")) return;
    c.Check(made == room, "sockets made before EMFILE: " + std::to_string(made) +
                              ", free descriptor numbers: " + std::to_string(room));
    c.Check(failed->phase == Phase::kReturn, "the failed socket() has no Return event");
    c.Check(failed->ret == -1, "socket() at the limit returned " + std::to_string(failed->ret));
    c.Check(failed->err == EMFILE, "socket() at the limit: " + ErrnoName(failed->err));
    c.Check(ErrnoName(failed->err) == "EMFILE", "ErrnoName(EMFILE) is " + ErrnoName(failed->err));
    c.Check(failed->result_socket_id == -1, "a failed socket() made a socket card");
    // The snapshot after it still shows every socket (TCP_INFO needs no new descriptor).
    c.Check(OpenSocket(failed->sockets, "fill0") != nullptr, "fill0 is missing from the snapshot");
    c.Check(StateName(OpenSocket(failed->sockets, "listener")) == "LISTEN",
            "the listener is not LISTEN in the snapshot");

    // accept() at the limit: EMFILE, and the connection waits on in the accept queue.
    s.Call(srv, MakeAccept("listener", "conn"));
    const std::optional<Event> refused_accept = ReturnOf(s, srv);
    c.Check(refused_accept && refused_accept->err == EMFILE,
            "accept() at the limit: " +
                (refused_accept ? ErrnoName(refused_accept->err) : std::string("no event")));
    const Snapshot now = s.ProbeNow();  // kept: `listener` points into it
    const SocketView* listener = OpenSocket(now, "listener");
    c.Check(listener != nullptr && listener->accept_queue == 1,
            "the connection left the accept queue although accept() failed");
    // One descriptor freed: accept() takes it off the queue.
    s.Call(srv, MakeClose("fill0"));
    s.Call(srv, MakeAccept("listener", "conn"));
    const std::optional<Event> accepted = ReturnOf(s, srv);
    c.Check(accepted && accepted->err == 0 &&
                StateName(OpenSocket(accepted->sockets, "conn")) == "ESTAB",
            "accept() after a close() did not give an ESTAB socket");

    // Reset closes everything: the session works again, even at the low limit.
    s.Reset();
    c.Check(CountOpenFds() == fds_with_session,
            "Reset() left descriptors open: " + std::to_string(CountOpenFds()) + " vs " +
                std::to_string(fds_with_session));
    RunLessonChecked(c, s, lesson, "at the low limit after Reset()");
    s.Reset();
    setrlimit(RLIMIT_NOFILE, &original);
    RunLessonChecked(c, s, lesson, "with the limit raised back");
    s.Reset();
    c.Check(CountOpenFds() == fds_with_session, "descriptors left after the last Reset()");
    session.reset();
    c.Check(CountOpenFds() == fds_at_start, "descriptors left after the Session");
}

// With no descriptor number free, a snapshot still reads the kernel's table: the connection
// waiting in the accept queue (no descriptor holds it; only sock_diag sees it) is still there.
// The session's netlink socket is opened with the Session, so reading takes no number.
void SnapshotWithNoNumberFree(Checker& c) {
    auto session = std::make_unique<Session>();
    Session& s = *session;
    const int srv = s.AddActor({"server", Role::kServer, Family::kInet});
    const int cli = s.AddActor({"client", Role::kClient, Family::kInet});
    s.Call(srv, MakeSocket("listener"));
    s.Call(srv, MakeBind("listener"));
    s.Call(srv, MakeListen("listener"));
    s.Call(cli, MakeSocket("client"));
    s.Call(cli, MakeConnect("client", "listener"));
    const Snapshot before = s.ProbeNow();
    const SocketView* listener = OpenSocket(before, "listener");
    const SocketView* client = OpenSocket(before, "client");
    if (!c.Check(listener != nullptr && client != nullptr && LocalPort(client) != 0,
                 "the client did not connect")) {
        return;
    }
    const uint16_t port = LocalPort(listener);
    const uint16_t client_port = LocalPort(client);
    c.Check(KernelSocket(before, port, client_port) != nullptr,
            "the queued connection is missing before the limit");

    rlimit original{};
    getrlimit(RLIMIT_NOFILE, &original);
    rlimit none_free = original;
    none_free.rlim_cur = static_cast<rlim_t>(HighestFd() + 1);
    if (!c.Check(setrlimit(RLIMIT_NOFILE, &none_free) == 0, "setrlimit failed")) return;
    std::vector<int> fillers;  // the free numbers below the highest one
    for (int fd; (fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) >= 0;) fillers.push_back(fd);
    c.Check(errno == EMFILE, std::string("filling the gaps: ") + std::strerror(errno));

    const Snapshot at_limit = s.ProbeNow();
    const SocketView* queued = KernelSocket(at_limit, port, client_port);
    c.Check(queued != nullptr, "with no descriptor free the queued connection was not seen");
    c.Check(queued == nullptr || StateName(queued) == "ESTAB",
            "the queued connection is not ESTAB");
    for (const int fd : fillers) close(fd);
    setrlimit(RLIMIT_NOFILE, &original);
    session.reset();
}

TEST(FaultEmfile, SnapshotsReadTheKernelWithNoDescriptorFree) {
    faulttest::RunInChild(SnapshotWithNoNumberFree);
}

TEST(FaultEmfile, SocketAndAcceptShowEmfileThenTheSessionRecovers) {
    faulttest::RunInChild(RunOutOfDescriptors);
}

}  // namespace
}  // namespace sockstep::core::sessiontest
