// Reading /proc/self/task/<tid>/{stat,syscall,wchan}: proc(5).
#include "block_evidence.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace sockstep::core::detail {
namespace {

// open(2) O_RDONLY: ENOENT (the thread is gone), EACCES, EMFILE, ENFILE; -1 then, and the
// evidence reads as none.
int OpenTaskFile(pid_t tid, const char* leaf) {
    const std::string path = "/proc/self/task/" + std::to_string(tid) + "/" + leaf;
    return open(path.c_str(), O_RDONLY | O_CLOEXEC);
}

// The first line of a /proc file, read again from the start. pread(2): EBADF, EINTR, EIO.
std::string ReadFirstLine(int fd) {
    if (fd < 0) return {};
    char buffer[1024];
    ssize_t n = -1;
    do {
        n = pread(fd, buffer, sizeof buffer - 1, 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return {};
    std::string text(buffer, static_cast<size_t>(n));
    if (const auto newline = text.find('\n'); newline != std::string::npos) text.resize(newline);
    return text;
}

}  // namespace

TaskFiles::TaskFiles(pid_t tid)
    : m_stat(OpenTaskFile(tid, "stat")),
      m_syscall(OpenTaskFile(tid, "syscall")),
      m_wchan(OpenTaskFile(tid, "wchan")) {}

TaskFiles::~TaskFiles() {
    for (const int fd : {m_stat, m_syscall, m_wchan}) {
        if (fd >= 0) close(fd);  // close(2): nothing else holds these numbers
    }
}

std::string SyscallName(long number) {
    switch (number) {
#ifdef SYS_accept
        case SYS_accept:
            return "accept";
#endif
        case SYS_accept4:
            return "accept4";
        case SYS_connect:
            return "connect";
        case SYS_recvfrom:
            return "recvfrom";
        case SYS_recvmsg:
            return "recvmsg";
        case SYS_sendto:
            return "sendto";
        case SYS_sendmsg:
            return "sendmsg";
        case SYS_read:
            return "read";
        case SYS_write:
            return "write";
#ifdef SYS_poll
        case SYS_poll:
            return "poll";
#endif
        case SYS_ppoll:
            return "ppoll";
        case SYS_close:
            return "close";
        case SYS_futex:
            return "futex";
        default:
            return "syscall " + std::to_string(number);
    }
}

namespace {

// stat: "tid (comm) S ..."; comm may hold spaces, so take the char after the last ')'. '?' when
// the file cannot be read.
char ThreadState(int stat_fd) {
    const std::string stat = ReadFirstLine(stat_fd);
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos || paren + 2 >= stat.size()) return '?';
    return stat[paren + 2];
}

// The wait channel, "" when the kernel does not say ("0": not asleep, or symbols hidden).
std::string WaitChannel(int wchan_fd) {
    const std::string wchan = ReadFirstLine(wchan_fd);
    return wchan == "0" ? std::string() : wchan;
}

// An idle worker, or one waiting for a lock after its call returned, sleeps in futex(2):
// futex_do_wait on Linux 6.18, futex_wait_queue(_me) before.
bool IsFutexWait(const std::string& wchan) {
    return wchan.rfind("futex", 0) == 0;
}

}  // namespace

std::optional<BlockEvidence> TaskFiles::ReadBlockEvidence() const {
    const char state = ThreadState(m_stat);
    if (state != 'S' && state != 'D') return std::nullopt;
    BlockEvidence evidence;
    if (m_syscall >= 0) {
        // syscall: "<nr> <arg1> … <sp> <pc>" while in a call, "running" or "-1 …" otherwise.
        std::istringstream syscall(ReadFirstLine(m_syscall));
        long nr = -1;
        std::string arg1;
        if (!(syscall >> nr) || nr < 0 || nr == SYS_futex) return std::nullopt;
        syscall >> arg1;
        evidence.syscall_nr = nr;
        evidence.syscall = SyscallName(nr);
        evidence.fd_arg = arg1.empty() ? -1 : std::strtol(arg1.c_str(), nullptr, 16);
        evidence.wchan = WaitChannel(m_wchan);
        return evidence;
    }
    // No `syscall` file: the wait channel alone says the thread sleeps in the kernel, and where.
    evidence.wchan = WaitChannel(m_wchan);
    if (evidence.wchan.empty() || IsFutexWait(evidence.wchan)) return std::nullopt;
    return evidence;
}

bool TaskFiles::SleepUnseen() const {
    const char state = ThreadState(m_stat);
    if (state != '?' && state != 'S' && state != 'D') return false;  // running: not asleep
    if (m_syscall >= 0 && !ReadFirstLine(m_syscall).empty()) return false;
    return WaitChannel(m_wchan).empty();
}

}  // namespace sockstep::core::detail
