// Standard descriptors and a checked standard output (see std_streams.h).
#include "std_streams.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ostream>

#include "cli.h"
#include "sockstep/core/user_file.h"

namespace sockstep::app {

bool ReserveStandardDescriptors() {
    for (int fd = 0; fd <= 2; ++fd) {
        // fcntl(2) F_GETFD: EBADF when `fd` is not open.
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        // open(2) returns the lowest free number, which is `fd` (the lower ones are open).
        // Read-only on purpose: a write to a stdout that was closed fails (EBADF) and is said.
        const int opened = open("/dev/null", O_RDONLY | O_NOCTTY);
        if (opened < 0) return false;
        if (opened != fd) {
            // dup2(2): EBADF, EINTR; cannot happen for two valid numbers, but never keep a
            // stray descriptor.
            const bool moved = dup2(opened, fd) == fd;
            close(opened);
            if (!moved) return false;
        }
    }
    return true;
}

FdOutBuf::FdOutBuf(int fd) : m_fd(fd), m_line_buffered(isatty(fd) == 1) {
    setp(m_buffer, m_buffer + sizeof m_buffer);
}

FdOutBuf::~FdOutBuf() {
    Drain();
}

bool FdOutBuf::Drain() {
    const char* data = pbase();
    size_t left = static_cast<size_t>(pptr() - pbase());
    while (left > 0 && m_error == 0) {
        // write(2): EINTR (retry), EAGAIN, ENOSPC, EBADF (closed), EIO, EPIPE (with SIGPIPE
        // ignored by a caller).
        const ssize_t n = write(m_fd, data, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            m_error = n < 0 ? errno : EIO;
            break;
        }
        data += n;
        left -= static_cast<size_t>(n);
    }
    setp(m_buffer, m_buffer + sizeof m_buffer);  // what could not be written is dropped
    return m_error == 0;
}

FdOutBuf::int_type FdOutBuf::overflow(int_type c) {
    if (!Drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
        *pptr() = traits_type::to_char_type(c);
        pbump(1);
        if (m_line_buffered && c == '\n' && !Drain()) return traits_type::eof();
    }
    return traits_type::not_eof(c);
}

std::streamsize FdOutBuf::xsputn(const char* s, std::streamsize n) {
    std::streamsize done = 0;
    while (done < n) {
        if (pptr() == epptr() && !Drain()) return done;
        const auto room = static_cast<std::streamsize>(epptr() - pptr());
        const std::streamsize chunk = std::min(room, n - done);
        std::memcpy(pptr(), s + done, static_cast<size_t>(chunk));
        pbump(static_cast<int>(chunk));
        done += chunk;
    }
    if (m_line_buffered && std::memchr(s, '\n', static_cast<size_t>(n)) && !Drain()) return done;
    return m_error == 0 ? n : done;
}

int FdOutBuf::sync() {
    return Drain() ? 0 : -1;
}

int FinishStandardOutput(std::ostream& out, FdOutBuf& buffer, int code, std::ostream& err) {
    out.flush();
    int error = buffer.Error();
    // close(2): EIO and ENOSPC may be reported only here (NFS, some FUSE file systems).
    if (close(STDOUT_FILENO) != 0 && error == 0 && errno != EINTR) error = errno;
    if (error == 0) return code;
    err << "sockstep: cannot write to standard output: " << core::DescribeFileErrno(error)
        << "; the output is incomplete\n";
    return code == kExitOk ? kExitUsage : code;
}

}  // namespace sockstep::app
