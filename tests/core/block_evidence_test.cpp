// The kernel's evidence that a thread sleeps in a call (/proc/self/task/<tid>/{stat,syscall,
// wchan}) is read from files opened when the thread started. At the RLIMIT_NOFILE limit, with
// no descriptor number free, it still reads: watching a call takes no descriptor, so it can
// never make the watched accept() (or another actor's socket()) fail with EMFILE.
//
// A non-dumpable process (what `setcap cap_net_raw+ep` makes of sockstep) cannot open its own
// `syscall` files: the evidence then comes from the wait channel alone, and a Session still
// sees its blocked accept(). Where no /proc file can be opened at all (a Landlock ruleset here,
// the real kernel refusing every open), a Session still returns from a blocking call's step,
// with a Blocked event that carries no evidence, and Reset() still wakes the call.
#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/landlock.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "fault_child.h"
#include "session_helpers.h"
// Internal to sockstep_core: included by path, the test target has only the public headers.
#include "../../core/src/block_evidence.h"

namespace sockstep::core::detail {
namespace {

using faulttest::Checker;

// A loopback listener and a thread blocked in accept() on it.
class BlockedAccept {
  public:
    BlockedAccept() {
        m_listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_ok = m_listener >= 0 &&
               bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
               listen(m_listener, 1) == 0;
        m_thread = std::thread([this] {
            m_tid = gettid();
            m_accepted = accept(m_listener, nullptr, nullptr);
        });
        while (m_tid.load() == 0) std::this_thread::yield();
    }
    ~BlockedAccept() {
        shutdown(m_listener, SHUT_RDWR);  // wakes accept() with EINVAL
        m_thread.join();
        if (m_accepted >= 0) close(m_accepted);
        close(m_listener);
    }
    bool ok() const { return m_ok; }
    pid_t tid() const { return m_tid.load(); }

  private:
    int m_listener = -1;
    bool m_ok = false;
    std::atomic<pid_t> m_tid{0};
    int m_accepted = -1;
    std::thread m_thread;
};

// Polls until the thread sleeps in a call (it may not have entered accept() yet).
std::optional<BlockEvidence> WaitForEvidence(const TaskFiles& files) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto evidence = files.ReadBlockEvidence()) return evidence;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return std::nullopt;
}

void CheckAcceptEvidence(Checker& c, const std::optional<BlockEvidence>& e, const char* when) {
    const std::string where = std::string(when) + ": ";
    if (!c.Check(e.has_value(), where + "no evidence of a thread blocked in accept()")) return;
    c.Check(e->syscall == "accept" || e->syscall == "accept4", where + "syscall " + e->syscall);
    c.Check(e->wchan.find("accept") != std::string::npos, where + "wchan '" + e->wchan + "'");
}

TEST(BlockEvidence, AThreadBlockedInAcceptIsSeenWithItsWaitChannel) {
    BlockedAccept blocked;
    ASSERT_TRUE(blocked.ok());
    const TaskFiles files(blocked.tid());
    Checker c;
    CheckAcceptEvidence(c, WaitForEvidence(files), "read once");
    // Read again from the same open files: the kernel writes them anew on each read.
    CheckAcceptEvidence(c, files.ReadBlockEvidence(), "read twice");
    EXPECT_EQ(c.Failures(), "");
}

// A thread that waits on a condition variable: idle, as a worker between calls.
class IdleThread {
  public:
    IdleThread() {
        m_thread = std::thread([this] {
            m_tid = gettid();
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop; });
        });
        while (m_tid.load() == 0) std::this_thread::yield();
    }
    ~IdleThread() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }
    pid_t tid() const { return m_tid.load(); }

  private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::atomic<pid_t> m_tid{0};
    std::thread m_thread;
};

std::string TaskFileLine(pid_t tid, const char* leaf) {
    const std::string path = "/proc/self/task/" + std::to_string(tid) + "/" + leaf;
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    char buffer[512];
    const ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    std::string text(buffer, n > 0 ? static_cast<size_t>(n) : 0);
    if (const auto newline = text.find('\n'); newline != std::string::npos) text.resize(newline);
    return text;
}

// The positive signal that a thread sleeps in futex(2): its wait channel says so (and, where it
// can be read, its `syscall` file names futex). Polled with a hang guard.
bool WaitUntilInFutex(pid_t tid, bool syscall_readable) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        const bool wchan = TaskFileLine(tid, "wchan").rfind("futex", 0) == 0;
        const bool syscall =
            !syscall_readable ||
            TaskFileLine(tid, "syscall").rfind(std::to_string(SYS_futex) + " ", 0) == 0;
        if (wchan && syscall) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

TEST(BlockEvidence, AnIdleThreadWaitingOnAFutexIsNotBlockedInACall) {
    IdleThread idle;
    const TaskFiles files(idle.tid());
    ASSERT_TRUE(files.SeesSyscall());
    // Once the kernel says it sleeps in futex(2), which is not a socket call, there is no
    // evidence, and the sleep is not one the kernel hides.
    ASSERT_TRUE(WaitUntilInFutex(idle.tid(), true)) << "the idle thread never slept in futex()";
    EXPECT_FALSE(files.ReadBlockEvidence().has_value());
    EXPECT_FALSE(files.SleepUnseen());
}

// What `setcap` does to sockstep, done to a forked child: a process that is not dumpable cannot
// open its own `syscall` files (they become root's, mode 0400). Root first becomes nobody, since
// root reads them anyway. The positive check: opening the file really fails with EACCES.
bool MakeSyscallFilesUnreadable(Checker& c) {
    if (geteuid() == 0) {
        const gid_t nobody = 65534;
        if (!c.Check(setgroups(0, nullptr) == 0 && setresgid(nobody, nobody, nobody) == 0 &&
                         setresuid(nobody, nobody, nobody) == 0,
                     std::string("becoming uid 65534 failed: ") + std::strerror(errno))) {
            return false;
        }
    }
    if (!c.Check(prctl(PR_SET_DUMPABLE, 0) == 0,
                 std::string("PR_SET_DUMPABLE 0: ") + std::strerror(errno))) {
        return false;
    }
    const std::string path = "/proc/self/task/" + std::to_string(gettid()) + "/syscall";
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    const int error = errno;
    if (fd >= 0) close(fd);
    return c.Check(fd < 0 && error == EACCES,
                   "a non-dumpable process could still open " + path + " (" +
                       (fd >= 0 ? std::string("opened") : std::strerror(error)) + ")");
}

void ReadWithoutTheSyscallFile(Checker& c) {
    if (!MakeSyscallFilesUnreadable(c)) return;
    {
        BlockedAccept blocked;
        if (!c.Check(blocked.ok(), "the loopback listener failed")) return;
        const TaskFiles files(blocked.tid());
        c.Check(!files.SeesSyscall(), "the syscall file opened after all");
        const std::optional<BlockEvidence> e = WaitForEvidence(files);
        if (c.Check(e.has_value(), "no evidence of a thread blocked in accept()")) {
            c.Check(e->wchan.find("accept") != std::string::npos, "wchan '" + e->wchan + "'");
            c.Check(e->syscall_nr == -1 && e->syscall.empty() && e->fd_arg == -1,
                    "evidence claims a syscall it could not read: " + e->syscall);
        }
        c.Check(!files.SleepUnseen(), "the wait channel was readable, yet the sleep is unseen");
    }
    IdleThread idle;
    const TaskFiles files(idle.tid());
    if (!c.Check(WaitUntilInFutex(idle.tid(), false), "the idle thread never slept in futex()")) {
        return;
    }
    c.Check(!files.ReadBlockEvidence().has_value(), "a futex wait was taken for a blocked call");
    c.Check(!files.SleepUnseen(), "a futex wait was taken for a hidden sleep");
}

TEST(BlockEvidence, WithoutTheSyscallFileTheWaitChannelShowsTheBlockedCall) {
    faulttest::RunInChild(ReadWithoutTheSyscallFile);
}

// A Session in such a process: accept() on an empty queue is logged as Blocked, with the
// kernel's wait channel.
void SessionWithoutTheSyscallFile(Checker& c) {
    if (!MakeSyscallFilesUnreadable(c)) return;
    using namespace sessiontest;
    Session session;
    const int server = session.AddActor(ActorSpec{"server", Role::kServer, Family::kInet});
    for (const CallRequest& r :
         {MakeSocket("listener"), MakeBind("listener"), MakeListen("listener")}) {
        c.Check(session.Call(server, r) == StepOutcome::kReturned,
                "setting up the listener did not return");
    }
    c.Check(session.Call(server, MakeAccept("listener", "conn")) == StepOutcome::kBlocked,
            "accept() on an empty queue was not seen blocked");
    const LogView log = session.Log();
    const Event& last = log[log.size() - 1];
    c.Check(last.phase == Phase::kBlocked, "the last event is not Blocked");
    c.Check(last.blocked.has_value() && last.blocked->wchan.find("accept") != std::string::npos,
            "the Blocked event lacks the wait channel");
    session.Reset();
    c.Check(session.Actors()[0].activity == ActorActivity::kIdle, "Reset() left accept() running");
}

TEST(BlockEvidence, ASessionWithoutTheSyscallFileSeesAcceptBlocked) {
    faulttest::RunInChild(SessionWithoutTheSyscallFile);
}

// Landlock (landlock(7)) with every file read forbidden: no /proc file can be opened, not even
// `stat`. Needs no privilege; the kernel here and Debian's have it.
bool ForbidEveryFileRead(Checker& c) {
    landlock_ruleset_attr attr{};
    attr.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE;
    const int ruleset =
        static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
    if (!c.Check(ruleset >= 0, std::string("landlock_create_ruleset: ") + std::strerror(errno) +
                                   " (this test needs Landlock, CONFIG_SECURITY_LANDLOCK)")) {
        return false;
    }
    const bool ok = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
                    syscall(SYS_landlock_restrict_self, ruleset, 0) == 0;
    const int error = errno;
    close(ruleset);
    if (!c.Check(ok, std::string("landlock_restrict_self: ") + std::strerror(error))) return false;
    const int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) close(fd);
    return c.Check(fd < 0, "Landlock let /proc/self/stat be opened");
}

void SessionSeeingNothing(Checker& c) {
    if (!ForbidEveryFileRead(c)) return;
    using namespace sessiontest;
    {
        IdleThread idle;
        const TaskFiles files(idle.tid());
        c.Check(!files.ReadBlockEvidence().has_value(), "evidence from files that cannot open");
        c.Check(files.SleepUnseen(), "nothing can be read, yet the sleep is not called unseen");
    }
    Session session;
    const int server = session.AddActor(ActorSpec{"server", Role::kServer, Family::kInet});
    for (const CallRequest& r :
         {MakeSocket("listener"), MakeBind("listener"), MakeListen("listener")}) {
        c.Check(session.Call(server, r) == StepOutcome::kReturned,
                "setting up the listener did not return");
    }
    // The step returns (the child's hang guard would kill it otherwise), and says blocked.
    c.Check(session.Call(server, MakeAccept("listener", "conn")) == StepOutcome::kBlocked,
            "accept() on an empty queue was not reported blocked");
    const LogView log = session.Log();
    const Event& last = log[log.size() - 1];
    c.Check(last.phase == Phase::kBlocked && !last.blocked.has_value(),
            "the Blocked event claims evidence the kernel did not give");
    session.Reset();
    c.Check(session.Actors()[0].activity == ActorActivity::kIdle, "Reset() left accept() running");
}

TEST(BlockEvidence, ASessionThatCanReadNoProcFileStillReturnsFromABlockingStep) {
    faulttest::RunInChild(SessionSeeingNothing);
}

void ReadAtTheDescriptorLimit(Checker& c) {
    BlockedAccept blocked;
    if (!c.Check(blocked.ok(), "the loopback listener failed")) return;
    const TaskFiles files(blocked.tid());
    CheckAcceptEvidence(c, WaitForEvidence(files), "before the limit");

    rlimit original{};
    getrlimit(RLIMIT_NOFILE, &original);
    rlimit none_free = original;
    none_free.rlim_cur = static_cast<rlim_t>(faulttest::HighestFd() + 1);
    if (!c.Check(setrlimit(RLIMIT_NOFILE, &none_free) == 0, "setrlimit failed")) return;
    // Every number below the limit may not be taken (a gap below the highest): fill the gaps,
    // so that no descriptor at all is free while the evidence is read.
    std::vector<int> fillers;
    for (;;) {
        const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            c.Check(errno == EMFILE, std::string("filling the gaps: ") + std::strerror(errno));
            break;
        }
        fillers.push_back(fd);
    }
    CheckAcceptEvidence(c, files.ReadBlockEvidence(), "with no descriptor free");
    for (const int fd : fillers) close(fd);
    setrlimit(RLIMIT_NOFILE, &original);
}

TEST(BlockEvidence, ReadsWithNoDescriptorFree) {
    faulttest::RunInChild(ReadAtTheDescriptorLimit);
}

}  // namespace
}  // namespace sockstep::core::detail
