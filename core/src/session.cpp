// The Session: one worker thread per actor making real, blocking socket calls; every call logged
// with the kernel's view of every socket before and after it.
#include "sockstep/core/session.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include "block_evidence.h"
#include "session_impl.h"

namespace sockstep::core {
namespace {

using namespace std::chrono_literals;
using detail::CallOutcome;
using detail::PreparedCall;

// Reset() wakes a blocked worker with this signal. Its handler is installed without SA_RESTART
// so the blocking call returns EINTR instead of being restarted. SIGURG's default action is to
// ignore it, so a stray one can never kill the process.
constexpr int kWakeSignal = SIGURG;

void OnWakeSignal(int) {}

// How long a call may sleep where the kernel does not let us see (TaskFiles::SleepUnseen) before
// it is logged as blocked without evidence. Calls that return do so in microseconds on loopback.
constexpr auto kUnseenSleepAfter = 200ms;

void InstallWakeHandler() {
    // A signal disposition is process-wide by nature; install it once.
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction action {};
        action.sa_handler = OnWakeSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0;  // no SA_RESTART
        sigaction(kWakeSignal, &action, nullptr);
    });
}

void WorkerLoop(Worker& w) {
    // SIGPIPE stays blocked here, so send()/write() to a closed peer give EPIPE without killing
    // the process and without MSG_NOSIGNAL (the calls stay exactly as a textbook writes them).
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    sigemptyset(&set);
    sigaddset(&set, kWakeSignal);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    w.tid = gettid();
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(w.mutex);
            w.wake.wait(lock, [&] { return w.stop || w.job; });
            if (!w.job) return;  // stop, and nothing left to run
            job = std::move(w.job);
            w.job = nullptr;
        }
        job();
    }
}

bool TakesAddress(CallKind call) {
    return call == CallKind::kBind || call == CallKind::kConnect || call == CallKind::kSendto;
}

// Calls that make Linux bind an unbound socket to the wildcard address (inet_autobind):
// listen() on TCP, sendto() on UDP. connect() picks its source by route (loopback here), and
// send() on an unconnected UDP socket fails with EDESTADDRREQ before any bind, so both are safe.
bool ImplicitWildcardBind(CallKind call, SockType type) {
    if (type == SockType::kStream) return call == CallKind::kListen;
    // UDP autobinds before it looks at the destination: even a send() that fails with
    // EDESTADDRREQ leaves the socket bound to the wildcard (transition_table_test found it).
    return call == CallKind::kSendto || call == CallKind::kSend || call == CallKind::kWrite;
}

// Bound to a loopback address. getsockname(2) reports port 0 for an unbound socket, and after a
// refused connect() it still reports 0.0.0.0 with the port connect() had picked, although the
// kernel released that port: listen() would then bind the wildcard, so that is not "bound".
bool IsBound(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    const auto* sa = reinterpret_cast<sockaddr*>(&ss);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0)
        return true;  // kernel decides
    return EndpointFromSockaddr(sa).port != 0 && IsLoopback(sa);
}

bool IsRead(CallKind call) {
    return call == CallKind::kRecv || call == CallKind::kRead || call == CallKind::kRecvfrom;
}

std::string PollReady(const std::vector<std::string>& names, const std::vector<short>& revents) {
    std::string out;
    for (size_t i = 0; i < names.size() && i < revents.size(); ++i) {
        const short r = revents[i];
        if (r == 0) continue;
        std::string flags;
        auto add = [&](short bit, const char* name) {
            if (r & bit) flags += (flags.empty() ? "" : "|") + std::string(name);
        };
        add(POLLIN, "POLLIN");
        add(POLLOUT, "POLLOUT");
        add(POLLPRI, "POLLPRI");
        add(POLLRDHUP, "POLLRDHUP");
        add(POLLERR, "POLLERR");
        add(POLLHUP, "POLLHUP");
        add(POLLNVAL, "POLLNVAL");
        out += (out.empty() ? "" : " ") + names[i] + ":" + flags;
    }
    return out;
}

// The descriptor table grows in the call that first needs a number past its end, and in a
// process with several threads (this one: an actor is a thread) expand_fdtable() (fs/file.c)
// then waits in synchronize_rcu(), several milliseconds: a socket() or accept() would be seen
// asleep there. A learner's single-threaded program never waits there, so the table is grown
// once, up front, to what RLIMIT_NOFILE allows (at most 65,536 numbers, about 0.5 MB of kernel
// memory), by duplicating `fd` onto the highest number and closing that copy.
// getrlimit(2): EFAULT only. fcntl(2) F_DUPFD_CLOEXEC: EMFILE, EINVAL (above the limit).
void GrowDescriptorTable(int fd) {
    rlimit limit{};
    if (fd < 0 || getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    constexpr rlim_t kMaxNumbers = 65536;
    const rlim_t numbers = std::min(limit.rlim_cur, kMaxNumbers);
    if (numbers < 2) return;
    const int copy = fcntl(fd, F_DUPFD_CLOEXEC, static_cast<int>(numbers - 1));
    if (copy >= 0) close(copy);  // close(2): the table keeps its size
}

}  // namespace

std::string_view RoleName(Role role) {
    return role == Role::kServer ? "server" : "client";
}

std::string_view StepOutcomeName(StepOutcome outcome) {
    switch (outcome) {
        case StepOutcome::kReturned:
            return "returned";
        case StepOutcome::kBlocked:
            return "blocked";
        case StepOutcome::kRefused:
            return "refused";
        case StepOutcome::kBusy:
            return "busy";
        case StepOutcome::kNoMoreSteps:
            return "no more steps";
        case StepOutcome::kCancelled:
            return "cancelled";
    }
    return "returned";
}

Session::Impl::Impl(EventLog& l) : log(l) {}

int64_t Session::Impl::Now() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
}

SocketRecord* Session::Impl::FindByName(const std::string& name) {
    // The newest socket of that name: a lesson may reuse a name after close().
    for (auto it = sockets.rbegin(); it != sockets.rend(); ++it) {
        if (it->name == name) return &*it;
    }
    return nullptr;
}

SocketRecord* Session::Impl::FindById(int id) {
    for (SocketRecord& r : sockets) {
        if (r.id == id) return &r;
    }
    return nullptr;
}

uint64_t Session::Impl::AppendLocked(Event event) {
    DrainCaptureLocked();  // what the calls sent so far comes before this event
    event.t_us = Now();
    event.sockets = TakeSnapshot();
    event.sockets.ShareWith(last_snapshot);
    last_snapshot = event.sockets;
    last_t_us = event.t_us;
    if (KernelWillMove(last_snapshot)) watch_wake.notify_one();
    return log.Append(std::move(event));
}

StepOutcome Session::Impl::Refuse(int actor, const CallRequest& request, int step,
                                  std::string message) {
    Event e;
    e.actor = actor;
    e.actor_name = workers[static_cast<size_t>(actor)]->spec.name;
    e.step = step;
    e.request = request;
    e.phase = Phase::kRefused;
    e.message = std::move(message);
    AppendLocked(std::move(e));
    return StepOutcome::kRefused;
}

StepOutcome Session::Impl::Run(int actor, const CallRequest& request_in, int step) {
    std::unique_lock lock(mutex);
    if (actor < 0 || static_cast<size_t>(actor) >= workers.size()) return StepOutcome::kRefused;
    Worker& w = *workers[static_cast<size_t>(actor)];
    if (w.busy) return StepOutcome::kBusy;

    CallRequest request = request_in;
    PreparedCall prepared;
    prepared.call = request.call;
    prepared.args = request.args;
    SocketRecord* target = nullptr;
    if (NeedsSocket(request.call)) {
        target = FindByName(request.socket);
        if (target == nullptr) {
            return Refuse(actor, request, step,
                          "there is no socket named '" + request.socket + "'");
        }
        if (target->actor != actor) {
            return Refuse(actor, request, step,
                          "socket '" + request.socket + "' belongs to " +
                              workers[static_cast<size_t>(target->actor)]->spec.name +
                              ": a process can only use its own descriptors");
        }
        prepared.fd = target->fd;  // -1 once closed: the kernel answers EBADF, as it would
    }
    if (CreatesSocket(request.call)) {
        if (request.result.empty()) {
            request.result =
                (request.call == CallKind::kSocket ? "sock" : "conn") + std::to_string(next_id);
        }
        const SocketRecord* existing = FindByName(request.result);
        if (existing != nullptr && existing->fd >= 0) {
            return Refuse(actor, request, step,
                          "the name '" + request.result + "' is already used by an open socket");
        }
    }
    if (target && target->fd >= 0 && ImplicitWildcardBind(request.call, target->type) &&
        !IsBound(target->fd)) {
        return Refuse(actor, request, step,
                      std::string(CallName(request.call)) +
                          "() on a socket that was never bound would make Linux bind it to "
                          "0.0.0.0 or :: (every network interface) on a random port, and "
                          "sockstep never opens a port on a real network: bind() it to "
                          "127.0.0.1 or ::1 first (port 0 picks a free one)");
    }
    if (TakesAddress(request.call)) {
        const Family family = target ? target->family : request.args.family;
        const Address& a = request.args.address;
        std::string host = a.host;
        uint16_t port = a.port;
        if (!a.peer.empty()) {
            SocketRecord* peer = FindByName(a.peer);
            if (peer == nullptr) {
                return Refuse(actor, request, step, "there is no socket named '" + a.peer + "'");
            }
            std::optional<Endpoint> local = peer->local;
            if (peer->fd >= 0) {
                sockaddr_storage ss{};
                socklen_t len = sizeof ss;
                if (getsockname(peer->fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
                    local = EndpointFromSockaddr(reinterpret_cast<sockaddr*>(&ss));
                }
            }
            if (!local || local->port == 0) {
                return Refuse(actor, request, step,
                              "socket '" + a.peer +
                                  "' has no port yet: bind() or listen() it "
                                  "first, or give a port");
            }
            host = local->host;
            port = local->port;
        }
        auto resolved = ResolveLoopback(host, port, family);
        if (auto* error = std::get_if<AddressError>(&resolved)) {
            return Refuse(actor, request, step, error->message);
        }
        prepared.address = std::get<ResolvedAddress>(resolved);
    }
    if (request.call == CallKind::kPoll) {
        if (request.args.poll_sockets.empty()) {
            return Refuse(actor, request, step, "poll() needs at least one socket");
        }
        for (const std::string& name : request.args.poll_sockets) {
            SocketRecord* r = FindByName(name);
            if (r == nullptr || r->actor != actor) {
                return Refuse(actor, request, step,
                              "there is no socket named '" + name + "' in this actor");
            }
            prepared.poll_fds.push_back(r->fd);
        }
    }

    const int target_id = target ? target->id : -1;
    const ApiState state = target ? target->api : ApiState::kNone;
    const SockType type = target ? target->type : request.args.type;
    Prediction prediction = Predict(state, type, request.call);
    if (target && target->nonblocking && prediction.known && prediction.may_block &&
        prediction.result == 0) {
        // O_NONBLOCK turns a wait into an immediate answer.
        if (request.call == CallKind::kConnect && type == SockType::kStream) {
            prediction.result = EINPROGRESS;
            prediction.next = ApiState::kConnecting;
            prediction.why = "non-blocking: the handshake goes on without us";
        } else if (request.call == CallKind::kAccept || IsRead(request.call)) {
            prediction.result = EAGAIN;
            prediction.next = state;
            prediction.why = "non-blocking: nothing is waiting yet, so it does not wait";
        }
        prediction.may_block = false;
    }

    // The Enter and Blocked events of this call differ only in phase and evidence.
    Event enter;
    enter.actor = actor;
    enter.actor_name = w.spec.name;
    enter.step = step;
    enter.request = request;
    enter.socket_id = target_id;
    enter.fd = prepared.fd;
    enter.phase = Phase::kEnter;
    enter.predicted = prediction;
    Event blocked = enter;
    blocked.phase = Phase::kBlocked;
    w.cause = enter;
    w.enter_seq = static_cast<int64_t>(AppendLocked(std::move(enter)));
    w.connect_target.reset();
    w.connect_local_port = 0;
    if (request.call == CallKind::kConnect && prepared.address) {
        w.connect_target = detail::ToWire(prepared.address->endpoint);
    }
    const int64_t entered = Now();
    if (request.call == CallKind::kClose && target) {
        // From now on the number may be reused by another actor's socket(): stop probing it.
        target->fd = -1;
    }

    w.busy = true;
    w.blocked = false;
    w.interrupting = false;
    w.call = request.call;
    w.call_fd = prepared.fd;
    w.since_us = entered;
    const uint64_t generation = ++w.generation;
    {
        std::lock_guard job_lock(w.mutex);
        w.job = [this, &w, actor, request, step, prepared, prediction, entered] {
            const CallOutcome outcome = detail::Perform(prepared);
            Finish(w, actor, request, step, prepared, prediction, entered, outcome);
        };
    }
    w.wake.notify_one();

    // Wait for the return, or for the kernel's word that the thread sleeps in the call: two
    // readings in a row, so a call that only paused for a lock is not called blocked. When the
    // kernel hides where the thread sleeps (block_evidence.h), a call still asleep after
    // kUnseenSleepAfter is logged as blocked with no evidence, and says so: never a wait for
    // evidence that cannot come.
    const auto waiting_since = std::chrono::steady_clock::now();
    int sleeping = 0;
    for (;;) {
        if (w.done.wait_for(lock, 300us, [&] { return w.generation != generation || !w.busy; })) {
            return StepOutcome::kReturned;
        }
        lock.unlock();
        std::optional<BlockEvidence> evidence = w.task->ReadBlockEvidence();
        const bool unseen = !evidence && w.task->SleepUnseen() &&
                            std::chrono::steady_clock::now() - waiting_since >= kUnseenSleepAfter;
        lock.lock();
        if (w.generation != generation || !w.busy) return StepOutcome::kReturned;
        sleeping = evidence ? sleeping + 1 : 0;
        if (sleeping >= 2 || unseen) {
            blocked.blocked = std::move(evidence);  // nullopt: the kernel did not let us see
            AppendLocked(std::move(blocked));       // packets sent so far were sent while it ran
            w.blocked = true;
            return StepOutcome::kBlocked;
        }
    }
}

void Session::Impl::Finish(Worker& w, int actor, const CallRequest& request, int step,
                           const PreparedCall& prepared, Prediction prediction, int64_t entered,
                           const CallOutcome& outcome) {
    std::unique_lock lock(mutex);
    Event e;
    e.actor = actor;
    e.actor_name = w.spec.name;
    e.step = step;
    e.request = request;
    e.fd = prepared.fd;
    e.ret = outcome.ret;
    e.err = outcome.err;
    e.duration_us = Now() - entered;
    e.predicted = prediction;
    e.data = request.call == CallKind::kPoll ? PollReady(request.args.poll_sockets, outcome.revents)
                                             : outcome.data;
    e.peer = outcome.peer;
    const bool woken = w.interrupting && (outcome.err == EINTR || outcome.err == EINVAL);
    e.phase = woken ? Phase::kInterrupted : Phase::kReturn;
    // A prediction that depends on what the API state cannot know is no surprise when it fails.
    e.mismatch = !woken && prediction.known && prediction.depends.empty() &&
                 prediction.result != outcome.err;

    SocketRecord* target = NeedsSocket(request.call) ? FindByName(request.socket) : nullptr;
    e.socket_id = target ? target->id : -1;
    if (CreatesSocket(request.call) && outcome.ret >= 0) {
        SocketRecord r;
        r.name = request.result;
        r.actor = actor;
        r.fd = static_cast<int>(outcome.ret);
        if (request.call == CallKind::kSocket) {
            r.id = next_id++;
            r.family = request.args.family;
            r.type = request.args.type;
            r.api = ApiState::kCreated;
        } else {
            r.family = target ? target->family : Family::kInet;
            r.type = SockType::kStream;
            r.api = ApiState::kConnected;
            r.local = target ? target->local : std::nullopt;
            r.remote = outcome.peer;
            // The connection already had a card while it waited in the accept queue: keep it.
            r.id = -1;
            if (outcome.peer && r.local) {
                const ConnectionKey key{static_cast<int>(r.family), FormatEndpoint(*r.local),
                                        FormatEndpoint(*outcome.peer)};
                if (auto it = fdless_ids.find(key); it != fdless_ids.end()) {
                    r.id = it->second;
                    fdless_ids.erase(it);
                }
            }
            if (r.id < 0) r.id = next_id++;
        }
        e.result_socket_id = r.id;
        sockets.push_back(std::move(r));
        target = NeedsSocket(request.call) ? FindByName(request.socket) : nullptr;  // realloc
    }
    if (target) {
        target->names_dirty = true;  // bind/listen/connect/sendto may have given it addresses
        if (request.call == CallKind::kShutdown && outcome.err == 0) {
            target->api = AfterShutdown(target->api, request.args.how);
        } else {
            target->api = NextApiState(target->api, target->type, request.call, outcome.err);
        }
        if (request.call == CallKind::kFcntl && outcome.err == 0) {
            target->nonblocking = request.args.nonblocking;
        }
    }
    AppendLocked(std::move(e));
    w.busy = false;
    w.blocked = false;
    w.interrupting = false;
    w.connect_target.reset();
    // Notify after unlocking: a waiter woken under the lock would block on it at once (twice
    // the context switches per call, measured by the benchmark).
    lock.unlock();
    w.done.notify_all();
}

void Session::Impl::InterruptAll() {
    std::unique_lock lock(mutex);
    for (auto& wp : workers) {
        Worker& w = *wp;
        if (!w.busy) continue;
        w.interrupting = true;
        const uint64_t generation = w.generation;
        int tries = 0;
        // Repeat: the signal may land just before the worker enters the call, and then the call
        // would block after all.
        while (w.busy && w.generation == generation) {
            pthread_kill(w.handle, kWakeSignal);
            if (++tries == 5 && w.call == CallKind::kAccept && w.call_fd >= 0) {
                // Belt and braces for accept(): shutdown() makes it return EINVAL.
                shutdown(w.call_fd, SHUT_RDWR);
            }
            w.done.wait_for(lock, 1ms);
        }
    }
}

void Session::Impl::CloseAll() {
    std::lock_guard lock(mutex);
    for (SocketRecord& r : sockets) {
        if (r.fd >= 0) close(r.fd);  // close(2): nothing else holds these numbers
        r.fd = -1;
    }
    sockets.clear();
    last_snapshot.clear();
    fdless_ids.clear();
    ports.clear();
    owned_endpoints.clear();
    connections.clear();
    watch_after_packets = 0;
    relative_seq.Clear();
    last_t_us = 0;
    next_id = 0;
    std::fill(ran.begin(), ran.end(), false);
    start = std::chrono::steady_clock::now();
}

Session::Session() : m_impl(std::make_unique<Impl>(m_log)) {
    InstallWakeHandler();
    GrowDescriptorTable(m_impl->diag.fd());
    m_impl->StartCapture();
    m_impl->StartWatch();
}

Session::~Session() {
    m_impl->StopCapture();  // first: its thread appends to the log and reads the workers
    m_impl->StopWatch();
    Reset();
    for (auto& w : m_impl->workers) {
        {
            std::lock_guard lock(w->mutex);
            w->stop = true;
        }
        w->wake.notify_one();
        w->thread.join();
    }
}

int Session::AddActor(const ActorSpec& spec) {
    auto worker = std::make_unique<Worker>();
    worker->spec = spec;
    Worker* raw = worker.get();
    worker->thread = std::thread([raw] { WorkerLoop(*raw); });
    worker->handle = worker->thread.native_handle();
    while (raw->tid.load() == 0) std::this_thread::yield();
    worker->task = std::make_unique<detail::TaskFiles>(raw->tid.load());
    std::lock_guard lock(m_impl->mutex);
    m_impl->workers.push_back(std::move(worker));
    return static_cast<int>(m_impl->workers.size()) - 1;
}

void Session::SetScript(std::vector<ScriptStep> script) {
    std::lock_guard lock(m_impl->mutex);
    m_impl->ran.assign(script.size(), false);
    m_impl->script = std::move(script);
}

size_t Session::ScriptSize() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->script.size();
}

size_t Session::NextStepIndex() const {
    std::lock_guard lock(m_impl->mutex);
    for (size_t i = 0; i < m_impl->ran.size(); ++i) {
        if (!m_impl->ran[i]) return i;
    }
    return m_impl->ran.size();
}

StepOutcome Session::StepNext() {
    ScriptStep step;
    size_t index = 0;
    {
        std::lock_guard lock(m_impl->mutex);
        while (index < m_impl->ran.size() && m_impl->ran[index]) ++index;
        if (index == m_impl->ran.size()) return StepOutcome::kNoMoreSteps;
        step = m_impl->script[index];
        if (m_impl->workers.at(static_cast<size_t>(step.actor))->busy) return StepOutcome::kBusy;
        m_impl->ran[index] = true;
    }
    return m_impl->Run(step.actor, step.request, static_cast<int>(index));
}

StepOutcome Session::Step(int actor) {
    ScriptStep step;
    size_t index = 0;
    {
        std::lock_guard lock(m_impl->mutex);
        while (index < m_impl->ran.size() &&
               (m_impl->ran[index] || m_impl->script[index].actor != actor)) {
            ++index;
        }
        if (index == m_impl->ran.size()) return StepOutcome::kNoMoreSteps;
        step = m_impl->script[index];
        if (m_impl->workers.at(static_cast<size_t>(actor))->busy) return StepOutcome::kBusy;
        m_impl->ran[index] = true;
    }
    return m_impl->Run(step.actor, step.request, static_cast<int>(index));
}

StepOutcome Session::Call(int actor, const CallRequest& request) {
    return m_impl->Run(actor, request, -1);
}

bool Session::WaitIdle(int actor, const std::atomic<bool>* cancel) {
    std::unique_lock lock(m_impl->mutex);
    Worker& w = *m_impl->workers.at(static_cast<size_t>(actor));
    while (w.busy) {
        if (cancel && cancel->load()) return false;
        w.done.wait_for(lock, 5ms);
    }
    return true;
}

StepOutcome Session::RunToEnd(const std::atomic<bool>* cancel) {
    for (;;) {
        if (cancel && cancel->load()) return StepOutcome::kCancelled;
        const StepOutcome outcome = StepNext();
        if (outcome == StepOutcome::kNoMoreSteps) break;
        if (outcome == StepOutcome::kBusy) {
            int actor = 0;
            {
                std::lock_guard lock(m_impl->mutex);
                size_t i = 0;
                while (i < m_impl->ran.size() && m_impl->ran[i]) ++i;
                actor = m_impl->script[i].actor;
            }
            if (!WaitIdle(actor, cancel)) return StepOutcome::kCancelled;
        }
    }
    // A blocked call at the end still waits, as the program would.
    for (int a = 0; a < static_cast<int>(m_impl->workers.size()); ++a) {
        if (!WaitIdle(a, cancel)) return StepOutcome::kCancelled;
    }
    return StepOutcome::kNoMoreSteps;
}

void Session::Interrupt() {
    m_impl->InterruptAll();
}

void Session::Reset() {
    m_impl->InterruptAll();
    m_impl->CloseAll();
    m_log.Clear();
}

std::vector<ActorStatus> Session::Actors() const {
    std::lock_guard lock(m_impl->mutex);
    std::vector<ActorStatus> out;
    for (size_t a = 0; a < m_impl->workers.size(); ++a) {
        const Worker& w = *m_impl->workers[a];
        ActorStatus s;
        s.name = w.spec.name;
        s.role = w.spec.role;
        s.activity = !w.busy ? ActorActivity::kIdle
                             : (w.blocked ? ActorActivity::kBlocked : ActorActivity::kRunning);
        s.call = w.call;
        s.since_us = w.since_us;
        s.next_step = m_impl->script.size();
        for (size_t i = 0; i < m_impl->script.size(); ++i) {
            if (!m_impl->ran[i] && m_impl->script[i].actor == static_cast<int>(a)) {
                s.next_step = i;
                break;
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

Snapshot Session::ProbeNow() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->TakeSnapshot();
}

int64_t Session::NowUs() const {
    return m_impl->Now();
}

}  // namespace sockstep::core
