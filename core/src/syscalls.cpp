// The real system calls. Each wrapper names its man page and the errno values it can give on
// loopback. SIGPIPE is blocked in the worker threads (see session.cpp), so send() and write() on
// a closed connection return EPIPE without MSG_NOSIGNAL and without killing the process.
#include "syscalls.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace sockstep::core::detail {
namespace {

CallOutcome Result(int64_t ret) {
    CallOutcome out;
    out.ret = ret;
    out.err = ret < 0 ? errno : 0;
    return out;
}

const sockaddr* Sa(const PreparedCall& c) {
    return reinterpret_cast<const sockaddr*>(&c.address->storage);
}

// socket(2): EAFNOSUPPORT, EINVAL, EMFILE, ENFILE, ENOBUFS, ENOMEM, EPROTONOSUPPORT.
CallOutcome DoSocket(const CallArgs& a) {
    const int domain = a.family == Family::kInet6 ? AF_INET6 : AF_INET;
    const int type = a.type == SockType::kDgram ? SOCK_DGRAM : SOCK_STREAM;
    return Result(socket(domain, type, 0));
}

// setsockopt(2), socket(7), tcp(7): EBADF, EINVAL, ENOPROTOOPT, ENOTSOCK.
CallOutcome DoSetsockopt(int fd, const CallArgs& a) {
    int level = SOL_SOCKET;
    int name = SO_REUSEADDR;
    switch (a.option) {
        case SockOpt::kReuseAddr:
            name = SO_REUSEADDR;
            break;
        case SockOpt::kReusePort:
            name = SO_REUSEPORT;
            break;
        case SockOpt::kRcvBuf:
            name = SO_RCVBUF;
            break;
        case SockOpt::kSndBuf:
            name = SO_SNDBUF;
            break;
        case SockOpt::kTcpNodelay:
            level = IPPROTO_TCP;
            name = TCP_NODELAY;
            break;
        case SockOpt::kTcpSyncnt:
            level = IPPROTO_TCP;
            name = TCP_SYNCNT;
            break;
        case SockOpt::kLinger: {
            const linger l{a.value, a.linger_seconds};
            return Result(setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l));
        }
        case SockOpt::kCount:
            break;
    }
    const int value = a.value;
    return Result(setsockopt(fd, level, name, &value, sizeof value));
}

// fcntl(2) F_GETFL then F_SETFL, as a program does it: EBADF.
CallOutcome DoFcntl(int fd, const CallArgs& a) {
    const int flags = fcntl(fd, F_GETFL);
    if (flags < 0) return Result(flags);
    return Result(fcntl(fd, F_SETFL, a.nonblocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK));
}

// bind(2), ip(7): EACCES, EADDRINUSE, EADDRNOTAVAIL, EBADF, EINVAL (already bound), ENOTSOCK.
CallOutcome DoBind(const PreparedCall& c) {
    return Result(bind(c.fd, Sa(c), c.address->length));
}

// listen(2): EADDRINUSE (autobind found no port), EBADF, ENOTSOCK, EOPNOTSUPP (UDP), EINVAL.
CallOutcome DoListen(int fd, const CallArgs& a) {
    return Result(listen(fd, a.backlog));
}

// accept(2): EAGAIN (non-blocking, empty queue), EBADF, ECONNABORTED, EINTR, EINVAL (not
// listening), EMFILE, ENFILE, ENOBUFS, ENOMEM, ENOTSOCK, EOPNOTSUPP (UDP).
CallOutcome DoAccept(int fd) {
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    CallOutcome out = Result(accept(fd, reinterpret_cast<sockaddr*>(&peer), &length));
    if (out.ret >= 0) out.peer = EndpointFromSockaddr(reinterpret_cast<sockaddr*>(&peer));
    return out;
}

// connect(2): EADDRNOTAVAIL, EAFNOSUPPORT, EAGAIN, EALREADY, EBADF, ECONNREFUSED, EINPROGRESS,
// EINTR, EISCONN, ENETUNREACH, ENOTSOCK, ETIMEDOUT.
CallOutcome DoConnect(const PreparedCall& c) {
    return Result(connect(c.fd, Sa(c), c.address->length));
}

// send(2) / write(2): EAGAIN, EBADF, ECONNRESET, EDESTADDRREQ (unconnected UDP), EINTR,
// EMSGSIZE, ENOTCONN, EPIPE (peer gone or our side shut down), EISCONN.
CallOutcome DoSend(const PreparedCall& c) {
    const std::string& d = c.args.data;
    switch (c.call) {
        case CallKind::kWrite:
            return Result(write(c.fd, d.data(), d.size()));
        case CallKind::kSendto:
            return Result(sendto(c.fd, d.data(), d.size(), 0, Sa(c), c.address->length));
        default:
            return Result(send(c.fd, d.data(), d.size(), 0));
    }
}

// recv(2) / read(2) / recvfrom(2): EAGAIN, EBADF, ECONNREFUSED, ECONNRESET, EINTR, EINVAL,
// ENOTCONN, ENOTSOCK; 0 means the peer sent FIN (TCP).
CallOutcome DoRecv(const PreparedCall& c) {
    std::string buffer(static_cast<size_t>(c.args.size > 0 ? c.args.size : 0), '\0');
    CallOutcome out;
    if (c.call == CallKind::kRecvfrom) {
        sockaddr_storage from{};
        socklen_t length = sizeof from;
        out = Result(recvfrom(c.fd, buffer.data(), buffer.size(), 0,
                              reinterpret_cast<sockaddr*>(&from), &length));
        if (out.ret >= 0 && length > 0 && from.ss_family != AF_UNSPEC) {
            out.peer = EndpointFromSockaddr(reinterpret_cast<sockaddr*>(&from));
        }
    } else if (c.call == CallKind::kRead) {
        out = Result(read(c.fd, buffer.data(), buffer.size()));
    } else {
        out = Result(recv(c.fd, buffer.data(), buffer.size(), 0));
    }
    if (out.ret > 0) out.data.assign(buffer.data(), static_cast<size_t>(out.ret));
    return out;
}

// shutdown(2): EBADF, EINVAL, ENOTCONN, ENOTSOCK.
CallOutcome DoShutdown(int fd, const CallArgs& a) {
    const int how = a.how == ShutHow::kRd ? SHUT_RD : a.how == ShutHow::kWr ? SHUT_WR : SHUT_RDWR;
    return Result(shutdown(fd, how));
}

// getsockname(2) / getpeername(2): EBADF, ENOTCONN (getpeername), ENOTSOCK.
CallOutcome DoName(int fd, bool peer) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    auto* sa = reinterpret_cast<sockaddr*>(&address);
    CallOutcome out = Result(peer ? getpeername(fd, sa, &length) : getsockname(fd, sa, &length));
    if (out.ret == 0) out.peer = EndpointFromSockaddr(sa);
    return out;
}

short PollEvents(const std::vector<std::string>& names) {
    short events = 0;
    for (const std::string& n : names) {
        if (n == "POLLIN") events |= POLLIN;
        if (n == "POLLOUT") events |= POLLOUT;
        if (n == "POLLPRI") events |= POLLPRI;
        if (n == "POLLRDHUP") events |= POLLRDHUP;
    }
    return events;
}

// poll(2): EFAULT, EINTR, EINVAL, ENOMEM. Returns how many descriptors are ready.
CallOutcome DoPoll(const PreparedCall& c) {
    std::vector<pollfd> fds;
    const short events = PollEvents(c.args.poll_events);
    for (int fd : c.poll_fds) fds.push_back(pollfd{fd, events, 0});
    CallOutcome out = Result(poll(fds.data(), fds.size(), c.args.timeout_ms));
    for (const pollfd& p : fds) out.revents.push_back(p.revents);
    return out;
}

}  // namespace

CallOutcome Perform(const PreparedCall& c) {
    switch (c.call) {
        case CallKind::kSocket:
            return DoSocket(c.args);
        case CallKind::kSetsockopt:
            return DoSetsockopt(c.fd, c.args);
        case CallKind::kFcntl:
            return DoFcntl(c.fd, c.args);
        case CallKind::kBind:
            return DoBind(c);
        case CallKind::kListen:
            return DoListen(c.fd, c.args);
        case CallKind::kAccept:
            return DoAccept(c.fd);
        case CallKind::kConnect:
            return DoConnect(c);
        case CallKind::kSend:
        case CallKind::kWrite:
        case CallKind::kSendto:
            return DoSend(c);
        case CallKind::kRecv:
        case CallKind::kRead:
        case CallKind::kRecvfrom:
            return DoRecv(c);
        case CallKind::kShutdown:
            return DoShutdown(c.fd, c.args);
        // close(2): EBADF, EINTR, EIO. With SO_LINGER {1,0} it sends RST.
        case CallKind::kClose:
            return Result(close(c.fd));
        case CallKind::kGetsockname:
            return DoName(c.fd, false);
        case CallKind::kGetpeername:
            return DoName(c.fd, true);
        case CallKind::kPoll:
            return DoPoll(c);
        case CallKind::kCount:
            break;
    }
    CallOutcome out;
    out.err = EINVAL;
    return out;
}

}  // namespace sockstep::core::detail
