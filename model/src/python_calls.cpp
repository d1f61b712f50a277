// The system calls behind the socket module's methods. Each difference from the C call is
// named with its reason, so that the strace test and the README say the same thing.
#include "sockstep/model/python_calls.h"

#include <array>

namespace sockstep::ui {
namespace {

using core::CallKind;

const std::array<PythonSyscalls, static_cast<size_t>(CallKind::kCount)>& Table() {
    static const std::array<PythonSyscalls, static_cast<size_t>(CallKind::kCount)> kTable = [] {
        std::array<PythonSyscalls, static_cast<size_t>(CallKind::kCount)> t{};
        const auto set = [&t](CallKind call, PythonSyscalls row) {
            t[static_cast<size_t>(call)] = std::move(row);
        };
        set(CallKind::kSocket, {"socket.socket(family, type)",
                                "socket",
                                {},
                                "the type gets SOCK_CLOEXEC: Python's descriptors are not "
                                "inherited by programs it starts (PEP 446)"});
        set(CallKind::kSetsockopt, {"sock.setsockopt(level, option, value)", "setsockopt", {}, ""});
        set(CallKind::kFcntl, {"sock.setblocking(False)",
                               "ioctl",
                               {},
                               "ioctl(FIONBIO) instead of fcntl(F_GETFL) and fcntl(F_SETFL): one "
                               "call sets O_NONBLOCK"});
        set(CallKind::kBind, {"sock.bind((host, port))", "bind", {}, ""});
        set(CallKind::kListen, {"sock.listen(backlog)", "listen", {}, ""});
        set(CallKind::kAccept, {"conn, addr = sock.accept()",
                                "accept4",
                                {"getsockname"},
                                "accept4(..., SOCK_CLOEXEC) fills in the peer's address for "
                                "`addr`; the new socket object then asks its own address"});
        set(CallKind::kConnect, {"sock.connect((host, port))", "connect", {}, ""});
        set(CallKind::kSend, {"sock.sendall(data) or sock.send(data)",
                              "sendto",
                              {},
                              "send() is sendto() with no address; sendall() repeats it until "
                              "every byte is sent (on loopback one call)"});
        set(CallKind::kWrite, {"os.write(sock.fileno(), data)", "write", {}, ""});
        set(CallKind::kSendto, {"sock.sendto(data, (host, port))", "sendto", {}, ""});
        set(CallKind::kRecv,
            {"data = sock.recv(size)", "recvfrom", {}, "recv() is recvfrom() with no address"});
        set(CallKind::kRead, {"data = os.read(sock.fileno(), size)", "read", {}, ""});
        set(CallKind::kRecvfrom, {"data, addr = sock.recvfrom(size)", "recvfrom", {}, ""});
        set(CallKind::kShutdown, {"sock.shutdown(how)", "shutdown", {}, ""});
        set(CallKind::kClose, {"sock.close()", "close", {}, ""});
        set(CallKind::kGetsockname, {"sock.getsockname()", "getsockname", {}, ""});
        set(CallKind::kGetpeername, {"sock.getpeername()", "getpeername", {}, ""});
        set(CallKind::kPoll, {"select.poll().poll(timeout)", "poll", {}, ""});
        return t;
    }();
    return kTable;
}

}  // namespace

const PythonSyscalls& PythonCallOf(CallKind call) {
    return Table()[static_cast<size_t>(call) % static_cast<size_t>(CallKind::kCount)];
}

}  // namespace sockstep::ui
