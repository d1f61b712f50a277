// Privilege for the tests that need it, taken from a user namespace when the tests run as an
// ordinary user, so that the suite passes as root (CI) and as anyone else. An ordinary user may
// create a user namespace and a network namespace owned by it (user_namespaces(7)): there the
// process holds every capability over that namespace's own lo, enough to bring lo up, open
// AF_PACKET (CAP_NET_RAW) and make further, empty network namespaces. A process that has the
// capability on the host (root) keeps the host's path: root in a new user namespace would lose
// its host privileges. Header-only, shared by the core, ui and app tests.
#pragma once

#include <fcntl.h>
#include <linux/capability.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace sockstep::testsupport {

// Set in the environment of a test re-run inside its own user namespace.
constexpr const char* kInUserNamespaceVariable = "SOCKSTEP_TEST_IN_USER_NAMESPACE";

// Whether the calling thread's effective set holds `capability`, counted in the user namespace
// it is in (capget(2); fails only with EINVAL/EFAULT for a bad header, which this one is not).
inline bool HasEffectiveCapability(unsigned capability) {
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    header.pid = 0;
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &header, data) != 0) return false;
    return (data[capability / 32].effective & (1u << (capability % 32))) != 0;
}

// The command prefix that runs a program in a new network namespace, empty but for a down lo:
// `unshare -n` with CAP_SYS_ADMIN (root), else `unshare -Urn`, a new user namespace owning it
// with this user mapped to root there, so that the program (strace, sockstep, this test binary)
// keeps its capabilities in the namespace across execve(2) and can bring that lo up.
inline std::vector<std::string> EmptyNetworkNamespaceCommand() {
    if (HasEffectiveCapability(CAP_SYS_ADMIN)) return {"unshare", "-n"};
    return {"unshare", "-Urn"};
}

namespace detail {

// One write(2) of `text` to a /proc file (uid_map and gid_map take their lines in one write):
// async-signal-safe, so it may run between fork(2) and execve(2) of a threaded process.
inline bool WriteProcFile(const char* path, const char* text) {
    const int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const size_t length = std::strlen(text);
    const bool ok = write(fd, text, length) == static_cast<ssize_t>(length);
    close(fd);
    return ok;
}

// SIOCSIFFLAGS (netdevice(7)) on lo: EPERM without CAP_NET_ADMIN in the namespace's owner.
// Async-signal-safe, like WriteProcFile.
inline bool LoopbackUp() {
    const int probe = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (probe < 0) return false;
    ifreq lo{};
    std::strncpy(lo.ifr_name, "lo", IFNAMSIZ - 1);
    lo.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
    const bool ok = ioctl(probe, SIOCSIFFLAGS, &lo) == 0;
    close(probe);
    return ok;
}

// Writes "<what> failed: <errno name> (<description>)" to stderr, async-signal-safely (both
// glibc lookups read static tables), and ends the child.
[[noreturn]] inline void ChildFailed(const char* what) {
    const int error = errno;
    const char* parts[] = {
        "user namespace child: ", what, " failed: ", strerrorname_np(error), " (",
        strerrordesc_np(error),   ")\n"};
    for (const char* part : parts) {
        if (part != nullptr && write(STDERR_FILENO, part, std::strlen(part)) < 0) break;
    }
    _exit(126);
}

}  // namespace detail

// In a forked, single-threaded child (unshare(2) of CLONE_NEWUSER is EINVAL in a threaded
// process): moves it into a new network namespace, empty but for a down lo. Without
// CAP_SYS_ADMIN it enters a new user namespace owning the network one (EPERM where user
// namespaces are disabled), with its uid and gid mapped to themselves. "" on success.
inline std::string UnshareEmptyNetworkNamespace() {
    if (HasEffectiveCapability(CAP_SYS_ADMIN)) {
        if (unshare(CLONE_NEWNET) == 0) return "";
        return std::string("unshare(CLONE_NEWNET): ") + strerrorname_np(errno);
    }
    const std::string uid_map = std::to_string(geteuid()) + " " + std::to_string(geteuid()) + " 1";
    const std::string gid_map = std::to_string(getegid()) + " " + std::to_string(getegid()) + " 1";
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
        return std::string("unshare(CLONE_NEWUSER | CLONE_NEWNET): ") + strerrorname_np(errno) +
               " (an ordinary user needs unprivileged user namespaces: see "
               "/proc/sys/user/max_user_namespaces)";
    }
    // setgroups must be denied before an unprivileged gid_map is accepted (user_namespaces(7)).
    if (!detail::WriteProcFile("/proc/self/setgroups", "deny") ||
        !detail::WriteProcFile("/proc/self/uid_map", uid_map.c_str()) ||
        !detail::WriteProcFile("/proc/self/gid_map", gid_map.c_str())) {
        return std::string("writing the user namespace's id maps: ") + strerrorname_np(errno);
    }
    return "";
}

// For a test whose body needs CAP_NET_RAW (packet capture on lo). Returns false when the body is
// to run in this process: it holds the capability (root), or it is already the re-run. Otherwise
// it runs this one test again, in a child of this binary inside a new user and network namespace
// with lo up and this user mapped to root (so that the programs the test starts can capture
// too); checks with gtest that the child ran the test and that it passed, with the child's whole
// output as the message; and returns true: the body has run, there. Used as
//   if (testsupport::RanInUserNamespace()) return;
inline bool RanInUserNamespace(std::chrono::seconds limit = std::chrono::seconds(240)) {
    if (HasEffectiveCapability(CAP_NET_RAW) || std::getenv(kInUserNamespaceVariable) != nullptr) {
        return false;
    }
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string name = std::string(test->test_suite_name()) + "." + test->name();
    // Everything the child needs is made before fork(): the parent may have threads (a Session's
    // workers), so the child may only make async-signal-safe calls until execve(2).
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    const std::string filter = "--gtest_filter=" + name;
    const std::string color = "--gtest_color=no";
    char* const argv[] = {const_cast<char*>(self.c_str()), const_cast<char*>(filter.c_str()),
                          const_cast<char*>(color.c_str()), nullptr};
    const std::string marker = std::string(kInUserNamespaceVariable) + "=1";
    std::vector<char*> envp;
    for (char** entry = environ; *entry != nullptr; ++entry) envp.push_back(*entry);
    envp.push_back(const_cast<char*>(marker.c_str()));
    envp.push_back(nullptr);
    const std::string uid_map = "0 " + std::to_string(geteuid()) + " 1";
    const std::string gid_map = "0 " + std::to_string(getegid()) + " 1";

    int output[2];
    if (pipe2(output, O_CLOEXEC) != 0) {
        ADD_FAILURE() << "pipe2: " << std::strerror(errno);
        return true;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        ADD_FAILURE() << "fork: " << std::strerror(errno);
        close(output[0]);
        close(output[1]);
        return true;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test that waits for it
        if (dup2(output[1], STDOUT_FILENO) < 0 || dup2(output[1], STDERR_FILENO) < 0) _exit(126);
        if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
            detail::ChildFailed(
                "unshare(CLONE_NEWUSER | CLONE_NEWNET) (this test needs "
                "CAP_NET_RAW, from root or from unprivileged user namespaces)");
        }
        if (!detail::WriteProcFile("/proc/self/setgroups", "deny")) {
            detail::ChildFailed("writing /proc/self/setgroups");
        }
        if (!detail::WriteProcFile("/proc/self/uid_map", uid_map.c_str())) {
            detail::ChildFailed("writing /proc/self/uid_map");
        }
        if (!detail::WriteProcFile("/proc/self/gid_map", gid_map.c_str())) {
            detail::ChildFailed("writing /proc/self/gid_map");
        }
        if (!detail::LoopbackUp()) detail::ChildFailed("bringing lo up (SIOCSIFFLAGS)");
        execve(self.c_str(), argv, envp.data());
        detail::ChildFailed("execve of the test binary");
    }
    close(output[1]);
    // Read the child's output while it runs; kill it when the hang guard expires.
    std::string text;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    bool killed = false;
    for (;;) {
        pollfd readable{output[0], POLLIN, 0};
        const int ready = poll(&readable, 1, 100);
        if (ready < 0 && errno != EINTR) break;
        if (ready > 0) {
            char buffer[4096];
            const ssize_t n = read(output[0], buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;  // end of file: the child and everything it started are done
            text.append(buffer, static_cast<size_t>(n));
        }
        const auto now = std::chrono::steady_clock::now();
        if (!killed && now > deadline) {
            kill(pid, SIGKILL);
            killed = true;
        }
        // A program the child started may still hold the pipe: stop reading soon after the kill.
        if (killed && now > deadline + std::chrono::seconds(5)) break;
    }
    close(output[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const std::string said = "\n--- " + name +
                             " ran again in its own user and network namespace (this process "
                             "has no CAP_NET_RAW); its output:\n" +
                             text;
    EXPECT_FALSE(killed) << "hang guard: the child did not finish within " << limit.count() << " s"
                         << said;
    if (!WIFEXITED(status)) {
        ADD_FAILURE() << "the child died by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0)
                      << said;
        return true;
    }
    EXPECT_EQ(WEXITSTATUS(status), 0) << said;
    EXPECT_NE(text.find("[       OK ] " + name + " "), std::string::npos)
        << "the child did not run and pass exactly this test" << said;
    return true;
}

}  // namespace sockstep::testsupport
