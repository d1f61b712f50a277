// The Python view's notes: where the socket module's name or behaviour differs from the system
// call the lesson makes. The system calls themselves are python_calls.cpp's; these sentences
// say what a learner reading the Python program needs to know.
#include <cerrno>
#include <string>

#include "sockstep/core/call.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

using core::CallKind;
using core::Lang;

struct Pair {
    const char* en;
    const char* ko;
};

Pair CallNote(const core::CallRequest& r) {
    switch (r.call) {
        case CallKind::kSocket:
            return {"socket.socket() returns an object; its fileno() is the descriptor C gets.",
                    "socket.socket()은 객체를 돌려줍니다. C가 받는 디스크립터는 그 객체의 "
                    "fileno()입니다."};
        case CallKind::kFcntl:
            return {
                "setblocking(False) sets the same O_NONBLOCK as fcntl(), with one "
                "ioctl(FIONBIO).",
                "setblocking(False)는 fcntl()과 같은 O_NONBLOCK을 켭니다. 호출은 "
                "ioctl(FIONBIO) 하나입니다."};
        case CallKind::kListen:
            return {
                "socket.create_server((host, port)) would be socket(), setsockopt(SO_REUSEADDR),"
                " bind() and listen() in one call; the lesson makes them one at a time.",
                "socket.create_server((host, port))는 socket(), setsockopt(SO_REUSEADDR), "
                "bind(), listen()을 한 번에 합니다. 수업은 하나씩 합니다."};
        case CallKind::kAccept:
            return {
                "accept() returns a pair (conn, address): the new socket and the client's "
                "address, which C asks for with accept's second and third arguments.",
                "accept()는 (conn, address) 쌍을 돌려줍니다: 새 소켓과 클라이언트의 주소. "
                "C에서는 accept의 둘째, 셋째 인자로 받는 것입니다."};
        case CallKind::kSend:
            return {
                "sendall() calls send() again until every byte is sent; send() alone may "
                "send fewer bytes, and returns how many.",
                "sendall()은 모든 바이트가 보내질 때까지 send()를 되풀이합니다. send()만 "
                "쓰면 더 적게 보낼 수 있고, 보낸 수를 돌려줍니다."};
        case CallKind::kRecv:
        case CallKind::kRead:
        case CallKind::kRecvfrom:
            return {
                "recv() returns the bytes themselves, not a count: b\"\" is the end of the "
                "stream (C's 0).",
                "recv()는 개수가 아니라 바이트 자체를 돌려줍니다. b\"\"가 스트림의 끝(C의 "
                "0)입니다."};
        case CallKind::kClose:
            return {
                "close() closes the descriptor at once. Python would also close a socket "
                "object no name refers to any more, so the programs close explicitly.",
                "close()는 디스크립터를 바로 닫습니다. 파이썬은 어떤 이름도 가리키지 않는 "
                "소켓 객체도 닫으므로, 프로그램은 명시적으로 닫습니다."};
        case CallKind::kPoll:
            return {
                "select.poll(): register() each socket, then poll(timeout) returns a list of "
                "(fd, events) pairs, one per ready socket.",
                "select.poll(): 소켓마다 register()하고, poll(timeout)은 준비된 소켓마다 "
                "(fd, events) 쌍의 리스트를 돌려줍니다."};
        default:
            return {"", ""};
    }
}

// The OSError subclass Python raises for an errno (PEP 3151).
const char* ExceptionOf(int err) {
    switch (err) {
        case ECONNREFUSED:
            return "ConnectionRefusedError";
        case ECONNRESET:
            return "ConnectionResetError";
        case ECONNABORTED:
            return "ConnectionAbortedError";
        case EPIPE:
            return "BrokenPipeError";
        case EAGAIN:
        case EINPROGRESS:
        case EALREADY:
            return "BlockingIOError";
        case ETIMEDOUT:
            return "TimeoutError";
        case EINTR:
            return "InterruptedError";
        default:
            return "OSError";
    }
}

}  // namespace

std::string PythonNote(const core::CallRequest& request, Lang lang, int err) {
    const Pair note = CallNote(request);
    std::string out = lang == Lang::kKo ? note.ko : note.en;
    if (err != 0) {
        const std::string name(core::ErrnoName(err));
        const std::string exception = ExceptionOf(err);
        out += out.empty() ? "" : " ";
        out += lang == Lang::kKo ? "파이썬에서 실패는 " + exception + " 예외가 되고, 그 .errno가 " +
                                       name + "입니다 (except OSError로 잡습니다)."
                                 : "In Python the failure is raised as " + exception +
                                       ", whose .errno is " + name + " (caught by except OSError).";
    }
    return out;
}

std::string AllPythonNoteText(Lang lang) {
    std::string all;
    for (size_t k = 0; k < static_cast<size_t>(CallKind::kCount); ++k) {
        core::CallRequest r;
        r.call = static_cast<CallKind>(k);
        all += PythonNote(r, lang, ECONNREFUSED);
    }
    return all;
}

}  // namespace sockstep::ui
