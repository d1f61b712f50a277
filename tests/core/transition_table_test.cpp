// Every row of TransitionTable() against the kernel. For each row (a row for "any open state"
// once per open state it stands for) a real Session puts a socket into the row's API state and
// makes the row's call; the errno must be the row's result, and the state afterwards, read from
// the kernel (SO_ACCEPTCONN, TCP_INFO, getsockname, getpeername, poll's POLLRDHUP, a zero-byte
// send), must be the row's next state. The Session's own API state is compared too, but it is
// never the judge: it follows the table. A row whose outcome `depends` on what the API state
// cannot know is run a second time with that condition broken (the address taken, no listener,
// the peer reset, an ICMP error queued): the kernel must then answer otherwise, and the Session
// must not call that a mismatch. A row no case reaches fails the coverage test unless it is
// listed with its reason (kWaitsForEver, kRefusedBySockstep).
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "session_helpers.h"
#include "sockstep/core/api_state.h"

namespace sockstep::core::sessiontest {
namespace {

using AS = ApiState;
using C = CallKind;

// The open states each socket type can be put into here (kConnecting and kListening are TCP's).
std::vector<AS> OpenStates(SockType type) {
    if (type == SockType::kStream) {
        return {AS::kCreated,   AS::kBound,  AS::kListening, AS::kConnecting,
                AS::kConnected, AS::kShutWr, AS::kShutRd,    AS::kShutRdWr};
    }
    return {AS::kCreated, AS::kBound, AS::kConnected, AS::kShutWr, AS::kShutRd, AS::kShutRdWr};
}

// Rows whose result cannot be had, with the reason. The test still makes the call and checks
// what can be checked (that it waits in the kernel), and the coverage test accepts the row.
struct Unreachable {
    TypeMatch type;
    AS from;
    C call;
    std::string_view reason;
};
constexpr Unreachable kWaitsForEver[] = {
    {TypeMatch::kDgram, AS::kCreated, C::kRecvfrom,
     "a UDP socket that was never bound or used has no port, so no datagram can reach it: "
     "recvfrom() waits for ever (checked: it blocks in the kernel, then is interrupted)"},
};

// Rows sockstep itself never lets run: on a socket that was never bound each would make Linux
// bind the wildcard address (0.0.0.0) on a random port, and traffic stays on loopback. The test
// checks that the Session refuses them before any call.
constexpr Unreachable kRefusedBySockstep[] = {
    {TypeMatch::kStream, AS::kCreated, C::kListen,
     "listen() without bind() binds the wildcard address: sockstep refuses it"},
    {TypeMatch::kDgram, AS::kCreated, C::kSendto,
     "sendto() on a never-bound UDP socket binds the wildcard address: sockstep refuses it"},
    {TypeMatch::kDgram, AS::kCreated, C::kSend,
     "send() on a never-bound UDP socket binds the wildcard address before it fails with "
     "EDESTADDRREQ: sockstep refuses it"},
};

template <size_t N>
const Unreachable* Find(const Unreachable (&list)[N], const Transition& row) {
    for (const Unreachable& u : list) {
        if (u.type == row.type && u.from == row.from && u.call == row.call) return &u;
    }
    return nullptr;
}

const Unreachable* WaitsForEver(const Transition& row) {
    return Find(kWaitsForEver, row);
}

const Unreachable* RefusedBySockstep(const Transition& row) {
    return Find(kRefusedBySockstep, row);
}

bool Matches(TypeMatch match, SockType type) {
    return match == TypeMatch::kAny || (match == TypeMatch::kStream) == (type == SockType::kStream);
}

// One run: `row` in API state `from` on a socket of `type`; `broken`: with the row's `depends`
// condition broken.
struct Case {
    const Transition* row = nullptr;
    SockType type = SockType::kStream;
    AS from = AS::kNone;
    bool broken = false;
};

// In api_state.cpp ApiState::kCount stands for "any open state".
constexpr AS kAnyOpen = AS::kCount;

// Does a row for exactly `state` stand in front of the "any open state" row for `call`?
bool HasOwnRow(AS state, SockType type, C call) {
    for (const Transition& row : TransitionTable()) {
        if (row.from == state && row.call == call && Matches(row.type, type)) return true;
    }
    return false;
}

std::vector<Case> AllCases() {
    std::vector<Case> cases;
    for (const Transition& row : TransitionTable()) {
        for (SockType type : {SockType::kStream, SockType::kDgram}) {
            if (!Matches(row.type, type)) continue;
            std::vector<AS> states;
            if (row.from == kAnyOpen) {
                for (AS s : OpenStates(type)) {
                    if (!HasOwnRow(s, type, row.call)) states.push_back(s);
                }
            } else {
                states.push_back(row.from);
            }
            for (AS s : states) {
                cases.push_back(Case{&row, type, s, false});
                if (!row.depends.empty()) cases.push_back(Case{&row, type, s, true});
            }
        }
    }
    return cases;
}

std::string CaseName(const Case& c) {
    std::string state;
    for (char ch : ApiStateName(c.from)) {
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) state += ch;
    }
    return std::string(c.type == SockType::kStream ? "Tcp_" : "Udp_") + state + "_" +
           std::string(CallName(c.row->call)) + (c.broken ? "_Broken" : "");
}

void PrintTo(const Case& c, std::ostream* os) {
    *os << CaseName(c);
}

// ---- reading the state from the kernel -----------------------------------------------------

ino_t Inode(int fd) {
    struct stat st {};
    // fstat(2): EBADF once the descriptor is closed.
    return fd >= 0 && fstat(fd, &st) == 0 ? st.st_ino : 0;
}

int TcpInfoState(int fd) {
    tcp_info info{};
    socklen_t length = sizeof info;
    // getsockopt(2) TCP_INFO, tcp(7): EBADF, ENOTSOCK, EOPNOTSUPP.
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return -1;
    return info.tcpi_state;
}

int BytesToRead(int fd) {
    int bytes = 0;
    // ioctl(2) FIONREAD (SIOCINQ), tcp(7)/udp(7): EINVAL on a listener.
    return ioctl(fd, FIONREAD, &bytes) == 0 ? bytes : -1;
}

short PollNow(int fd, short events) {
    pollfd p{fd, events, 0};
    // poll(2) with no timeout: EFAULT, EINTR, EINVAL, ENOMEM.
    return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

// The API state of `fd` as the kernel shows it. `inode`: the socket's inode when the case began,
// so that a descriptor number reused by another socket still reads as Closed.
AS Observe(int fd, ino_t inode, SockType type) {
    if (inode == 0 || Inode(fd) != inode) return AS::kClosed;
    int accepting = 0;
    socklen_t length = sizeof accepting;
    // getsockopt(2) SO_ACCEPTCONN, socket(7): 1 while listening.
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0 && accepting != 0) {
        return AS::kListening;
    }
    if (type == SockType::kStream && TcpInfoState(fd) == TCP_SYN_SENT) return AS::kConnecting;
    sockaddr_storage address{};
    length = sizeof address;
    // getpeername(2): ENOTCONN without a peer.
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        length = sizeof address;
        // getsockname(2): port 0 while unbound.
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return AS::kNone;
        const uint16_t port = address.ss_family == AF_INET6
                                  ? reinterpret_cast<sockaddr_in6*>(&address)->sin6_port
                                  : reinterpret_cast<sockaddr_in*>(&address)->sin_port;
        return port != 0 ? AS::kBound : AS::kCreated;
    }
    // SHUT_RD: poll says POLLRDHUP (no peer of these cases closes before the call). SHUT_WR: a
    // zero-byte send is refused with EPIPE (send(2); sends nothing otherwise, or an empty
    // datagram to the UDP peer).
    const bool read_shut = (PollNow(fd, POLLRDHUP) & POLLRDHUP) != 0;
    const bool write_shut = send(fd, "", 0, MSG_NOSIGNAL | MSG_DONTWAIT) == -1 && errno == EPIPE;
    if (read_shut && write_shut) return AS::kShutRdWr;
    if (read_shut) return AS::kShutRd;
    if (write_shut) return AS::kShutWr;
    return AS::kConnected;
}

// ---- the cases -----------------------------------------------------------------------------

// What each `depends` of the table needs, and how a case breaks it.
enum class Condition { kNone, kAddressFree, kListener, kPeerReset, kIcmpQueued, kUnknown };

Condition ConditionOf(std::string_view depends) {
    if (depends.empty()) return Condition::kNone;
    if (depends == "the address being free") return Condition::kAddressFree;
    if (depends == "a listener at that address") return Condition::kListener;
    if (depends == "the peer not having reset the connection") return Condition::kPeerReset;
    if (depends == "no ICMP error from the peer being queued") return Condition::kIcmpQueued;
    return Condition::kUnknown;
}

CallRequest Named(C call, const std::string& socket) {
    CallRequest r;
    r.call = call;
    r.socket = socket;
    return r;
}

class TransitionTableTest : public SessionTest, public ::testing::WithParamInterface<Case> {
  protected:
    void SetUp() override {
        SessionTest::SetUp();
        m_me = AddClient("me");
        m_other = AddServer("other");
    }

    // A call of the set-up that must succeed (or fail with `err`).
    void Must(int actor, const CallRequest& request, int err = 0) {
        const Event e = Do(S(), actor, request);
        ASSERT_EQ(ErrnoName(e.err), ErrnoName(err)) << "set-up: " << FormatCall(request);
    }

    int Fd(const std::string& name) {
        const Snapshot now = S().ProbeNow();
        const SocketView* v = OpenSocket(now, name);
        return v ? v->fd : -1;
    }

    // The socket "s" of `me` in state `c.from`, with the peers the call needs: TCP has a listener
    // "lsn" of `other` (and its accepted "conn"); UDP a bound "peer".
    void Build(const Case& c) {
        const SockType type = c.type;
        const Condition condition = ConditionOf(c.row->depends);
        if (type == SockType::kStream) {
            Must(m_other, MakeSocket("lsn"));
            Must(m_other, MakeBind("lsn"));
            // Backlog 0 holds one connection: the next SYN is dropped, so a connect stays SYN-SENT.
            Must(m_other, MakeListen("lsn", c.from == AS::kConnecting ? 0 : 5));
        } else {
            Must(m_other, MakeSocket("peer", Family::kInet, type));
            Must(m_other, MakeBind("peer"));
        }
        if (c.broken && condition == Condition::kAddressFree) {
            Must(m_other, MakeSocket("taken", Family::kInet, type));
            Must(m_other, MakeBind("taken"));
        }
        if (c.broken && condition == Condition::kListener) {
            Must(m_other, MakeSocket("closed"));
            Must(m_other, MakeBind("closed"));  // bound, never listening: connect() is refused
        }
        if (c.from == AS::kNone) return;
        Must(m_me, MakeSocket("s", Family::kInet, type));
        switch (c.from) {
            case AS::kCreated:
                return;
            case AS::kBound:
                Must(m_me, MakeBind("s"));
                return;
            case AS::kListening:
                Must(m_me, MakeBind("s"));
                Must(m_me, MakeListen("s", 5));
                Must(m_other, MakeSocket("c"));
                Must(m_other, MakeConnect("c", "s"));  // waits in the queue for accept()
                return;
            case AS::kConnecting:
                Must(m_other, MakeSocket("c1"));
                Must(m_other, MakeConnect("c1", "lsn"));  // fills the queue
                Must(m_me, MakeFcntl("s", true));
                Must(m_me, MakeConnect("s", "lsn"), EINPROGRESS);
                return;
            default:
                break;
        }
        // Connected, then shut down as the state says.
        if (type == SockType::kStream) {
            Must(m_me, MakeConnect("s", "lsn"));
            Must(m_other, MakeAccept("lsn", "conn"));
        } else if (c.broken && condition == Condition::kIcmpQueued) {
            Must(m_other, MakeSocket("gone", Family::kInet, type));
            Must(m_other, MakeBind("gone"));
            Must(m_me, MakeConnect("s", "gone"));
            Must(m_other, MakeClose("gone"));
        } else {
            Must(m_me, MakeConnect("s", "peer"));
        }
        if (c.from == AS::kShutWr) Must(m_me, MakeShutdown("s", ShutHow::kWr));
        if (c.from == AS::kShutRd) Must(m_me, MakeShutdown("s", ShutHow::kRd));
        if (c.from == AS::kShutRdWr) Must(m_me, MakeShutdown("s", ShutHow::kRdWr));
    }

    // Breaks the condition the row depends on, and waits for the kernel to show it broken.
    void Break(const Case& c, int fd) {
        switch (ConditionOf(c.row->depends)) {
            case Condition::kAddressFree:
            case Condition::kListener:
                return;  // done in Build()
            case Condition::kPeerReset:
                Must(m_other, MakeSetsockopt("conn", SockOpt::kLinger, 1, 0));
                Must(m_other, MakeClose("conn"));  // SO_LINGER {1, 0}: an RST
                ASSERT_TRUE(WaitUntil([&] { return TcpInfoState(fd) == TCP_CLOSE; }))
                    << "the peer's RST never arrived";
                return;
            case Condition::kIcmpQueued: {
                // A datagram to a closed port: ICMP port unreachable. Observe()'s empty datagram
                // may have queued an error already, which this send then reports and clears: then
                // send again.
                for (int i = 0; i < 2; ++i) {
                    const Event sent = Do(S(), m_me, MakeSend("s", "x"));
                    ASSERT_TRUE(sent.err == 0 || sent.err == ECONNREFUSED) << ErrnoName(sent.err);
                    if (sent.err == 0) break;
                }
                ASSERT_TRUE(WaitUntil([&] { return (PollNow(fd, 0) & POLLERR) != 0; }))
                    << "no ICMP error was queued";
                return;
            }
            case Condition::kNone:
            case Condition::kUnknown:
                FAIL() << "no way to break '" << c.row->depends << "': teach this test";
        }
    }

    // Something to read, so that a read the table says may wait returns at once.
    void Prime(const Case& c, int fd) {
        const C call = c.row->call;
        if (call != C::kRecv && call != C::kRead && call != C::kRecvfrom) return;
        if (c.from == AS::kShutRd || c.from == AS::kShutRdWr) return;  // reads return 0 at once
        if (c.type == SockType::kStream) {
            if (c.from != AS::kConnected && c.from != AS::kShutWr) return;
            Must(m_other, MakeSend("conn", "x"));
        } else {
            if (c.from == AS::kCreated) return;  // no port: nothing can reach it
            Must(m_other, MakeSendto("peer", "s", "x"));
        }
        ASSERT_TRUE(WaitUntil([&] { return BytesToRead(fd) > 0; })) << "the byte never arrived";
    }

    CallRequest TheCall(const Case& c) {
        const bool stream = c.type == SockType::kStream;
        switch (c.row->call) {
            case C::kSocket:
                return MakeSocket("s2", Family::kInet, c.type);
            case C::kSetsockopt:
                return MakeSetsockopt("s", SockOpt::kReuseAddr, 1);
            case C::kFcntl:
                return MakeFcntl("s", true);
            case C::kGetsockname:
                return MakeGetsockname("s");
            case C::kPoll:
                return MakePoll({"s"}, {"POLLIN"}, 0);
            case C::kClose:
                return MakeClose("s");
            case C::kBind:
                return c.broken ? MakeBindPeer("s", "taken") : MakeBind("s");
            case C::kListen:
                return MakeListen("s", 5);
            case C::kAccept:
                return MakeAccept("s", "a");
            case C::kConnect:
                if (!stream) return MakeConnect("s", "peer");
                return MakeConnect("s", c.broken ? "closed" : "lsn");
            case C::kSend:
            case C::kWrite: {
                CallRequest r = MakeSend("s", "x");
                r.call = c.row->call;
                return r;
            }
            case C::kSendto:
                return MakeSendto("s", stream ? "lsn" : "peer", "x");
            case C::kRecv:
            case C::kRead:
            case C::kRecvfrom: {
                CallRequest r = MakeRecv("s");
                r.call = c.row->call;
                return r;
            }
            case C::kShutdown:
                return MakeShutdown("s", ShutHow::kWr);  // the rows give SHUT_WR's outcome
            case C::kGetpeername:
                return Named(C::kGetpeername, "s");
            case C::kCount:
                break;
        }
        ADD_FAILURE() << "no call for " << CallName(c.row->call);
        return {};
    }

    int m_me = -1;
    int m_other = -1;
};

TEST_P(TransitionTableTest, RowHoldsOnTheKernel) {
    const Case& c = GetParam();
    const Transition& row = *c.row;
    const Prediction p = Predict(c.from, c.type, row.call);
    ASSERT_TRUE(p.known);
    ASSERT_EQ(p.result, row.result) << "Predict() does not use this row";

    ASSERT_NO_FATAL_FAILURE(Build(c));
    const int fd = c.from == AS::kNone ? -1 : Fd("s");
    const ino_t inode = Inode(fd);
    if (c.from != AS::kNone) {
        ASSERT_EQ(Observe(fd, inode, c.type), c.from) << "the set-up did not reach the state";
    }
    if (c.broken) {
        ASSERT_NO_FATAL_FAILURE(Break(c, fd));
    } else {
        ASSERT_NO_FATAL_FAILURE(Prime(c, fd));
    }
    const CallRequest request = TheCall(c);

    if (const Unreachable* refused = RefusedBySockstep(row)) {
        EXPECT_EQ(S().Call(m_me, request), StepOutcome::kRefused) << refused->reason;
        return;
    }
    if (WaitsForEver(row) != nullptr) {
        EXPECT_TRUE(row.blocks);
        EXPECT_EQ(S().Call(m_me, request), StepOutcome::kBlocked)
            << FormatCall(request) << " should wait in the kernel";
        S().Interrupt();
        EXPECT_TRUE(WaitActorIdle(S(), m_me));
        return;
    }

    const Event e = Do(S(), m_me, request);
    EXPECT_FALSE(e.mismatch) << "the Session calls this outcome a surprise";
    EXPECT_EQ(e.predicted.depends, row.depends);
    if (c.broken) {
        EXPECT_NE(e.err, 0) << FormatCall(request) << " succeeded although '" << row.depends
                            << "' did not hold: the row need not depend on it";
        EXPECT_NE(e.err, row.result);
        return;
    }
    EXPECT_EQ(ErrnoName(e.err), ErrnoName(row.result)) << FormatCall(request) << ": " << row.why;

    const std::string name = row.call == C::kSocket ? "s2" : "s";
    const int after_fd = row.call == C::kSocket ? static_cast<int>(e.ret) : fd;
    const ino_t after_inode = row.call == C::kSocket ? Inode(after_fd) : inode;
    const AS observed = Observe(after_fd, after_inode, c.type);
    EXPECT_EQ(observed, p.next) << FormatCall(request) << ": the kernel shows "
                                << ApiStateName(observed);
    if (observed != AS::kClosed) {
        const SocketView* v = OpenSocket(e.sockets, name);
        ASSERT_NE(v, nullptr);
        EXPECT_EQ(v->api_state, observed) << "the Session's own API state";
    }
}

INSTANTIATE_TEST_SUITE_P(Rows, TransitionTableTest, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& param) {
                             return CaseName(param.param);
                         });

TEST(TransitionTableCoverage, EveryRowIsRunOrListedWithAReason) {
    const std::vector<Case> cases = AllCases();
    for (const Transition& row : TransitionTable()) {
        bool run = false;
        for (const Case& c : cases) {
            if (c.row != &row || c.broken) continue;
            const std::vector<AS> open = OpenStates(c.type);
            const bool buildable =
                c.from == AS::kNone || std::find(open.begin(), open.end(), c.from) != open.end();
            EXPECT_TRUE(buildable) << "no set-up for " << ApiStateName(c.from)
                                   << (c.type == SockType::kStream ? " (TCP)" : " (UDP)");
            run = run || buildable;
        }
        EXPECT_TRUE(run) << ApiStateName(row.from) << " " << CallName(row.call)
                         << ": no case runs this row";
        for (const Unreachable* u : {WaitsForEver(row), RefusedBySockstep(row)}) {
            if (u != nullptr) {
                EXPECT_FALSE(u->reason.empty());
            }
        }
        if (!row.depends.empty()) {
            EXPECT_NE(ConditionOf(row.depends), Condition::kUnknown)
                << "no way to break '" << row.depends << "'";
        }
    }
}

}  // namespace
}  // namespace sockstep::core::sessiontest
