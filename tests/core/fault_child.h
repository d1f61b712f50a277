// Fault tests that change the whole process (a lower RLIMIT_NOFILE, a private network namespace)
// run their body in a forked child, so the test binary itself is never affected. The body
// returns its failures as text (gtest assertions inside a child would be lost); the parent
// waits with a hang guard (the child is killed after `limit`) and turns the report into test
// failures. A child killed by a signal (a crash) is a failure naming the signal.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace sockstep::core::faulttest {

// Collects failures inside a child.
class Checker {
  public:
    bool Check(bool ok, const std::string& what) {
        if (!ok) m_out << what << "\n";
        return ok;
    }
    std::string Failures() const { return m_out.str(); }

  private:
    std::ostringstream m_out;
};

struct ChildOptions {
    bool new_network_namespace = false;  // unshare(CLONE_NEWNET) before the body runs
    std::chrono::milliseconds limit = std::chrono::seconds(30);
};

// The highest descriptor number open now (RLIMIT_NOFILE limits numbers, not the count).
inline int HighestFd() {
    int highest = -1;
    DIR* dir = opendir("/proc/self/fd");
    if (dir == nullptr) return -1;
    const int own = dirfd(dir);
    while (const dirent* entry = readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        const int fd = std::atoi(entry->d_name);
        if (fd != own && fd > highest) highest = fd;
    }
    closedir(dir);
    return highest;
}

inline ino_t NetNamespaceInode() {
    struct stat st {};
    if (stat("/proc/self/ns/net", &st) != 0) return 0;
    return st.st_ino;
}

// Runs `body` in a forked child and checks (with gtest, in the parent) that it exited 0 with an
// empty report. Must be called while this process has one thread (each ctest test is its own
// process, and every Session of the test is gone by then), so the child's copy is sound.
inline void RunInChild(const std::function<void(Checker&)>& body, ChildOptions options = {}) {
    int pipe_fds[2];
    ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0) << std::strerror(errno);
    const ino_t parent_ns = NetNamespaceInode();
    const pid_t pid = fork();
    ASSERT_GE(pid, 0) << std::strerror(errno);
    if (pid == 0) {
        close(pipe_fds[0]);
        Checker checker;
        if (options.new_network_namespace) {
            if (unshare(CLONE_NEWNET) != 0) {
                checker.Check(false, std::string("unshare(CLONE_NEWNET) failed: ") +
                                         std::strerror(errno) +
                                         " (needs root or CAP_SYS_ADMIN; never skipped)");
            } else if (NetNamespaceInode() == parent_ns) {
                checker.Check(false, "unshare(CLONE_NEWNET) did not change the namespace");
            }
        }
        if (checker.Failures().empty()) body(checker);
        const std::string report = checker.Failures();
        size_t written = 0;
        while (written < report.size()) {
            const ssize_t n = write(pipe_fds[1], report.data() + written, report.size() - written);
            if (n <= 0) break;
            written += static_cast<size_t>(n);
        }
        _exit(report.empty() ? 0 : 1);
    }
    close(pipe_fds[1]);
    // Read the report while the child runs; kill it when the hang guard expires.
    const auto deadline = std::chrono::steady_clock::now() + options.limit;
    fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
    std::string report;
    int status = 0;
    bool exited = false;
    bool killed = false;
    while (!exited) {
        char buffer[4096];
        const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
        if (n > 0) report.append(buffer, static_cast<size_t>(n));
        const pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            exited = true;
        } else if (std::chrono::steady_clock::now() > deadline && !killed) {
            kill(pid, SIGKILL);
            killed = true;
        } else if (n <= 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
    for (;;) {
        char buffer[4096];
        const ssize_t n = read(pipe_fds[0], buffer, sizeof buffer);
        if (n <= 0) break;
        report.append(buffer, static_cast<size_t>(n));
    }
    close(pipe_fds[0]);
    EXPECT_FALSE(killed) << "hang guard: the child did not finish within " << options.limit.count()
                         << " ms\n"
                         << report;
    ASSERT_TRUE(WIFEXITED(status))
        << "the child crashed (signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0) << ")\n"
        << report;
    EXPECT_EQ(WEXITSTATUS(status), 0) << report;
    EXPECT_EQ(report, "");
}

}  // namespace sockstep::core::faulttest
