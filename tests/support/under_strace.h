// Running a test again in a child inside an empty network namespace under strace, so that what
// it sends can be read from outside and nothing can leave even if a refusal broke: `unshare -n`
// as root, `unshare -Urn` (a user namespace of its own) for an ordinary user. Header-only, shared
// by the core and ui loopback-only tests.
#pragma once

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "user_namespace.h"

namespace sockstep::testsupport {

// In the child: the namespace's own loopback is down; ::1 exists only once it is up. "" on
// success, else why not.
inline std::string BringLoopbackUp() {
    const int probe = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (probe < 0) return std::string("socket: ") + std::strerror(errno);
    ifreq lo{};
    std::strncpy(lo.ifr_name, "lo", IFNAMSIZ - 1);
    lo.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
    const int ok = ioctl(probe, SIOCSIFFLAGS, &lo);
    const int error = errno;
    close(probe);
    return ok == 0 ? std::string() : std::string("SIOCSIFFLAGS lo: ") + std::strerror(error);
}

struct TracedRun {
    int code = -1;      // the child's exit status; -1 when it did not exit
    std::string calls;  // strace's log: %network calls and every open
};

// Runs this test binary again with `variable`=1 and only `gtest_filter`, under
// `unshare -n strace -f` (as root; `unshare -Urn strace -f` for an ordinary user).
inline TracedRun RunSelfUnderStrace(const std::string& variable, const std::string& gtest_filter) {
    namespace fs = std::filesystem;
    const fs::path log = fs::temp_directory_path() /
                         ("sockstep-" + variable + "-" + std::to_string(getpid()) + ".strace");
    const std::string self = fs::read_symlink("/proc/self/exe").string();
    const std::string setting = variable + "=1";
    const std::string filter = "--gtest_filter=" + gtest_filter;
    std::vector<std::string> command = EmptyNetworkNamespaceCommand();
    command.insert(command.end(), {"strace", "-f", "-qq", "-s", "256", "-e",
                                   "trace=%network,open,openat", "-o", log.string(), self, filter});
    std::vector<char*> argv;
    for (std::string& part : command) argv.push_back(part.data());
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
        putenv(const_cast<char*>(setting.c_str()));
        execvp(argv[0], argv.data());
        _exit(127);
    }
    TracedRun run;
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
        run.code = WEXITSTATUS(status);
    }
    std::ifstream in(log);
    run.calls.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    fs::remove(log);
    return run;
}

// An address as strace prints it, in 127.0.0.0/8 or ::1 (also as ::ffff:127.x).
inline bool IsLoopbackText(const std::string& address) {
    return address.rfind("127.", 0) == 0 || address == "::1" ||
           address.rfind("::ffff:127.", 0) == 0;
}

}  // namespace sockstep::testsupport
