// Reading /proc/self/task/<tid>/{stat,syscall,wchan}: proc(5).
#include "block_evidence.h"

#include <sys/syscall.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sockstep::core::detail {
namespace {

std::string ReadFirstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string TaskPath(pid_t tid, const char* leaf) {
    return "/proc/self/task/" + std::to_string(tid) + "/" + leaf;
}

}  // namespace

std::string SyscallName(long number) {
    switch (number) {
#ifdef SYS_accept
        case SYS_accept: return "accept";
#endif
        case SYS_accept4: return "accept4";
        case SYS_connect: return "connect";
        case SYS_recvfrom: return "recvfrom";
        case SYS_recvmsg: return "recvmsg";
        case SYS_sendto: return "sendto";
        case SYS_sendmsg: return "sendmsg";
        case SYS_read: return "read";
        case SYS_write: return "write";
#ifdef SYS_poll
        case SYS_poll: return "poll";
#endif
        case SYS_ppoll: return "ppoll";
        case SYS_close: return "close";
        case SYS_futex: return "futex";
        default: return "syscall " + std::to_string(number);
    }
}

std::string ReadWchan(pid_t tid) {
    std::string w = ReadFirstLine(TaskPath(tid, "wchan"));
    return w == "0" ? std::string() : w;
}

std::optional<BlockEvidence> ReadBlockEvidence(pid_t tid) {
    // stat: "tid (comm) S ..."; comm may hold spaces, so take the char after the last ')'.
    const std::string stat = ReadFirstLine(TaskPath(tid, "stat"));
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos || paren + 2 >= stat.size()) return std::nullopt;
    const char state = stat[paren + 2];
    if (state != 'S' && state != 'D') return std::nullopt;
    // syscall: "<nr> <arg1> … <sp> <pc>" while in a call, "running" or "-1 …" otherwise.
    std::istringstream syscall(ReadFirstLine(TaskPath(tid, "syscall")));
    long nr = -1;
    std::string arg1;
    if (!(syscall >> nr) || nr < 0 || nr == SYS_futex) return std::nullopt;
    syscall >> arg1;
    BlockEvidence evidence;
    evidence.syscall_nr = nr;
    evidence.syscall = SyscallName(nr);
    evidence.fd_arg = arg1.empty() ? -1 : std::strtol(arg1.c_str(), nullptr, 16);
    evidence.wchan = ReadWchan(tid);
    return evidence;
}

}  // namespace sockstep::core::detail
