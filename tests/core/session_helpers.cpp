// Shared helpers for the Session tests (see session_helpers.h).
#include "session_helpers.h"

#include <dirent.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace sockstep::core::sessiontest {
namespace {

CallRequest Request(CallKind call, const std::string& socket, const std::string& result = "") {
    CallRequest r;
    r.call = call;
    r.socket = socket;
    r.result = result;
    return r;
}

std::string FirstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

int CountEntries(const char* path) {
    DIR* dir = opendir(path);
    if (dir == nullptr) return -1;
    int count = 0;
    while (const dirent* entry = readdir(dir)) {
        if (entry->d_name[0] != '.') ++count;
    }
    closedir(dir);
    return count;
}

}  // namespace

CallRequest MakeSocket(const std::string& name, Family family, SockType type) {
    CallRequest r = Request(CallKind::kSocket, "", name);
    r.args.family = family;
    r.args.type = type;
    return r;
}

CallRequest MakeSetsockopt(const std::string& socket, SockOpt option, int value,
                           int linger_seconds) {
    CallRequest r = Request(CallKind::kSetsockopt, socket);
    r.args.option = option;
    r.args.value = value;
    r.args.linger_seconds = linger_seconds;
    return r;
}

CallRequest MakeFcntl(const std::string& socket, bool nonblocking) {
    CallRequest r = Request(CallKind::kFcntl, socket);
    r.args.nonblocking = nonblocking;
    return r;
}

CallRequest MakeBind(const std::string& socket, const std::string& host, uint16_t port) {
    CallRequest r = Request(CallKind::kBind, socket);
    r.args.address.host = host;
    r.args.address.port = port;
    return r;
}

CallRequest MakeBindPeer(const std::string& socket, const std::string& peer) {
    CallRequest r = Request(CallKind::kBind, socket);
    r.args.address.peer = peer;
    return r;
}

CallRequest MakeListen(const std::string& socket, int backlog) {
    CallRequest r = Request(CallKind::kListen, socket);
    r.args.backlog = backlog;
    return r;
}

CallRequest MakeAccept(const std::string& listener, const std::string& result) {
    return Request(CallKind::kAccept, listener, result);
}

CallRequest MakeConnect(const std::string& socket, const std::string& peer) {
    CallRequest r = Request(CallKind::kConnect, socket);
    r.args.address.peer = peer;
    return r;
}

CallRequest MakeConnectTo(const std::string& socket, const std::string& host, uint16_t port) {
    CallRequest r = Request(CallKind::kConnect, socket);
    r.args.address.host = host;
    r.args.address.port = port;
    return r;
}

CallRequest MakeSend(const std::string& socket, const std::string& data) {
    CallRequest r = Request(CallKind::kSend, socket);
    r.args.data = data;
    return r;
}

CallRequest MakeRecv(const std::string& socket, int size) {
    CallRequest r = Request(CallKind::kRecv, socket);
    r.args.size = size;
    return r;
}

CallRequest MakeSendto(const std::string& socket, const std::string& peer,
                       const std::string& data) {
    CallRequest r = Request(CallKind::kSendto, socket);
    r.args.address.peer = peer;
    r.args.data = data;
    return r;
}

CallRequest MakeRecvfrom(const std::string& socket, int size) {
    CallRequest r = Request(CallKind::kRecvfrom, socket);
    r.args.size = size;
    return r;
}

CallRequest MakeShutdown(const std::string& socket, ShutHow how) {
    CallRequest r = Request(CallKind::kShutdown, socket);
    r.args.how = how;
    return r;
}

CallRequest MakeClose(const std::string& socket) {
    return Request(CallKind::kClose, socket);
}

CallRequest MakeGetsockname(const std::string& socket) {
    return Request(CallKind::kGetsockname, socket);
}

CallRequest MakePoll(std::vector<std::string> sockets, std::vector<std::string> events,
                     int timeout_ms) {
    CallRequest r = Request(CallKind::kPoll, "");
    r.args.poll_sockets = std::move(sockets);
    r.args.poll_events = std::move(events);
    r.args.timeout_ms = timeout_ms;
    return r;
}

Event Do(Session& session, int actor, const CallRequest& request) {
    Event failed;
    failed.phase = Phase::kRefused;
    failed.err = -1;
    failed.ret = -2;
    const StepOutcome outcome = session.Call(actor, request);
    if (outcome != StepOutcome::kReturned) {
        ADD_FAILURE() << FormatCall(request)
                      << " did not return at once: " << StepOutcomeName(outcome);
        if (outcome == StepOutcome::kRefused) {
            const LogView log = session.Log();
            if (!log.empty()) ADD_FAILURE() << "refused: " << log.back().message;
        }
        return failed;
    }
    std::optional<Event> e = LastReturnOf(session.Log(), actor);
    if (!e || e->request.call != request.call) {
        ADD_FAILURE() << FormatCall(request) << ": no Return event in the log";
        return failed;
    }
    return *e;
}

StepOutcome RunScript(Session& session, std::vector<ScriptStep> script,
                      std::chrono::milliseconds limit) {
    session.SetScript(std::move(script));
    std::atomic<bool> cancel{false};
    std::atomic<bool> finished{false};
    std::thread timer([&] {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!finished.load() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(1ms);
        }
        if (!finished.load()) cancel = true;
    });
    const StepOutcome outcome = session.RunToEnd(&cancel);
    finished = true;
    timer.join();
    if (outcome == StepOutcome::kCancelled) {
        ADD_FAILURE() << "the script did not finish within " << limit.count() << " ms";
    }
    return outcome;
}

std::optional<Event> LastEventOfStep(const LogView& log, int step, Phase phase) {
    for (size_t i = log.size(); i-- > 0;) {
        if (log[i].step == step && log[i].phase == phase) return log[i];
    }
    return std::nullopt;
}

std::optional<Event> LastReturnOf(const LogView& log, int actor) {
    for (size_t i = log.size(); i-- > 0;) {
        const Event& e = log[i];
        if (e.actor == actor && (e.phase == Phase::kReturn || e.phase == Phase::kInterrupted)) {
            return e;
        }
    }
    return std::nullopt;
}

bool HasEvent(const LogView& log, int actor, CallKind call, Phase phase) {
    for (size_t i = 0; i < log.size(); ++i) {
        if (log[i].actor == actor && log[i].request.call == call && log[i].phase == phase) {
            return true;
        }
    }
    return false;
}

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(1ms);
    }
}

bool WaitActorIdle(Session& session, int actor, std::chrono::milliseconds limit) {
    return WaitUntil(
        [&] {
            return session.Actors().at(static_cast<size_t>(actor)).activity == ActorActivity::kIdle;
        },
        limit);
}

std::optional<SocketView> WaitForSocket(Session& session,
                                        const std::function<bool(const SocketView&)>& match,
                                        std::chrono::milliseconds limit) {
    std::optional<SocketView> found;
    WaitUntil(
        [&] {
            for (const SocketView& v : session.ProbeNow()) {
                if (match(v)) {
                    found = v;
                    return true;
                }
            }
            return false;
        },
        limit);
    return found;
}

std::optional<SocketView> WaitForState(Session& session, const std::string& name, TcpState state,
                                       std::chrono::milliseconds limit) {
    return WaitForSocket(
        session, [&](const SocketView& v) { return v.name == name && v.tcp_state == state; },
        limit);
}

const SocketView* OpenSocket(const Snapshot& snapshot, const std::string& name) {
    for (const SocketView& v : snapshot) {
        if (v.name == name && v.fd >= 0) return &v;
    }
    return nullptr;
}

const SocketView* KernelSocket(const Snapshot& snapshot, uint16_t local_port,
                               uint16_t remote_port) {
    for (const SocketView& v : snapshot) {
        if (v.owner == Owner::kKernel && v.local && v.remote && v.local->port == local_port &&
            v.remote->port == remote_port) {
            return &v;
        }
    }
    return nullptr;
}

uint16_t LocalPort(const SocketView* view) {
    return view != nullptr && view->local ? view->local->port : 0;
}

std::string StateName(const SocketView* view) {
    if (view == nullptr) return "?";
    return view->tcp_state ? std::string(TcpStateName(*view->tcp_state)) : "-";
}

int CountOpenFds() {
    const int n = CountEntries("/proc/self/fd");
    return n < 0 ? -1 : n - 1;  // minus the descriptor opendir holds
}

int CountThreads() {
    return CountEntries("/proc/self/task");
}

std::vector<TaskInfo> Tasks() {
    std::vector<TaskInfo> out;
    DIR* dir = opendir("/proc/self/task");
    if (dir == nullptr) return out;
    while (const dirent* entry = readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        TaskInfo t;
        t.tid = static_cast<pid_t>(std::atol(entry->d_name));
        const std::string base = std::string("/proc/self/task/") + entry->d_name + "/";
        const std::string stat = FirstLine(base + "stat");
        const auto paren = stat.rfind(')');
        if (paren != std::string::npos && paren + 2 < stat.size()) t.state = stat[paren + 2];
        std::istringstream syscall(FirstLine(base + "syscall"));
        std::string arg;
        if (syscall >> t.syscall_nr >> arg) t.arg1 = std::strtol(arg.c_str(), nullptr, 16);
        t.wchan = FirstLine(base + "wchan");
        out.push_back(std::move(t));
    }
    closedir(dir);
    return out;
}

void StartSanitizerThreads() {
#if defined(__SANITIZE_THREAD__)
    // ThreadSanitizer starts a background thread of its own at the process's first
    // pthread_create and keeps it: make that happen before a baseline is counted.
    // pthread_join returns when the kernel clears the thread's tid, before the task is
    // released: wait until its /proc entry is gone too, or the baseline counts it (CI saw
    // "threads before: 3, after: 2").
    static const bool tsan_thread_started = [] {
        std::atomic<pid_t> tid{0};
        std::thread([&tid] { tid = gettid(); }).join();
        const std::string entry = "/proc/self/task/" + std::to_string(tid.load());
        return WaitUntil([&] { return access(entry.c_str(), F_OK) != 0; }, 5s);
    }();
    if (!tsan_thread_started) ADD_FAILURE() << "ThreadSanitizer's first thread never went away";
#endif
}

void SessionTest::SetUp() {
    StartSanitizerThreads();
    m_fds_before = CountOpenFds();
    m_threads_before = CountThreads();
    m_session = std::make_unique<Session>();
    m_fds_session = CountOpenFds();
}

void SessionTest::TearDown() {
    m_session.reset();
    EXPECT_EQ(CountOpenFds(), m_fds_before) << "a descriptor outlived the Session";
    // A joined thread's /proc entry can linger for a moment after pthread_join returns.
    EXPECT_TRUE(WaitUntil([&] { return CountThreads() == m_threads_before; }, 2s))
        << "threads before: " << m_threads_before << ", after: " << CountThreads();
}

int SessionTest::AddServer(const std::string& name, Family family) {
    return AddActorCounted(ActorSpec{name, Role::kServer, family});
}

int SessionTest::AddClient(const std::string& name, Family family) {
    return AddActorCounted(ActorSpec{name, Role::kClient, family});
}

int SessionTest::AddActorCounted(const ActorSpec& spec) {
    // An actor keeps its thread's /proc files open for as long as the Session lives; what it
    // holds belongs to the session's own descriptors, not to its calls.
    const int before = CountOpenFds();
    const int actor = S().AddActor(spec);
    m_fds_session += CountOpenFds() - before;
    return actor;
}

}  // namespace sockstep::core::sessiontest
