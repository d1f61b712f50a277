// The kernel's evidence that a thread sleeps in a call (/proc/self/task/<tid>/{stat,syscall,
// wchan}) is read from files opened when the thread started. At the RLIMIT_NOFILE limit, with
// no descriptor number free, it still reads: watching a call takes no descriptor, so it can
// never make the watched accept() (or another actor's socket()) fail with EMFILE.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
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

TEST(BlockEvidence, AnIdleThreadWaitingOnAFutexIsNotBlockedInACall) {
    std::mutex mutex;
    std::condition_variable wake;
    bool stop = false;
    std::atomic<pid_t> tid{0};
    std::thread idle([&] {
        tid = gettid();
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stop; });
    });
    while (tid.load() == 0) std::this_thread::yield();
    const TaskFiles files(tid.load());
    // Once it sleeps (state S) it is in futex(2), which is not a socket call.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(files.ReadBlockEvidence().has_value());
    {
        std::lock_guard lock(mutex);
        stop = true;
    }
    wake.notify_one();
    idle.join();
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
