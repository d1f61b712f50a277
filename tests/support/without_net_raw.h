// Running a check in a forked child that has no CAP_NET_RAW: how a normal user runs sockstep,
// also when the tests run as root (CI). Header-only, shared by the core and ui tests.
#pragma once

#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <string>

namespace sockstep::testsupport {

// capset(2) without libcap: clears CAP_NET_RAW from the effective, permitted and inheritable
// sets of the calling thread (a forked child has only one). "" on success.
inline std::string DropNetRaw() {
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    header.pid = 0;
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &header, data) != 0) return std::string("capget: ") + strerror(errno);
    const unsigned word = CAP_NET_RAW / 32;
    const unsigned bit = 1u << (CAP_NET_RAW % 32);
    data[word].effective &= ~bit;
    data[word].permitted &= ~bit;
    data[word].inheritable &= ~bit;
    if (syscall(SYS_capset, &header, data) != 0) return std::string("capset: ") + strerror(errno);
    return "";
}

struct ChildResult {
    bool exited = false;  // false: the child died by a signal (or fork/wait failed)
    int code = -1;
    std::string problems;  // what `check` returned in the child; "" when all held
};

// Forks; the child drops CAP_NET_RAW, runs `check` and reports what it returns ("" = all held).
inline ChildResult RunWithoutNetRaw(const std::function<std::string()>& check) {
    ChildResult result;
    int report[2];
    if (pipe(report) != 0) return {false, -1, "pipe failed"};
    const pid_t child = fork();
    if (child < 0) return {false, -1, "fork failed"};
    if (child == 0) {
        close(report[0]);
        std::string problems = DropNetRaw();
        if (problems.empty()) problems = check();
        size_t written = 0;
        while (written < problems.size()) {
            const ssize_t n =
                write(report[1], problems.data() + written, problems.size() - written);
            if (n <= 0) break;
            written += static_cast<size_t>(n);
        }
        close(report[1]);
        _exit(problems.empty() ? 0 : 1);
    }
    close(report[1]);
    char buffer[512];
    for (ssize_t n; (n = read(report[0], buffer, sizeof buffer)) > 0;) {
        result.problems.append(buffer, static_cast<size_t>(n));
    }
    close(report[0]);
    int status = 0;
    if (waitpid(child, &status, 0) != child) return {false, -1, result.problems + "waitpid failed"};
    result.exited = WIFEXITED(status);
    result.code = result.exited ? WEXITSTATUS(status) : -1;
    return result;
}

}  // namespace sockstep::testsupport
