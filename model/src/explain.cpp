// Explanations of calls, errno values and TCP states, in English and Korean. The sentences say
// only what the log proves (a return value, an errno, a state the kernel reported) plus the
// textbook reason behind it.
#include "sockstep/model/explain.h"

#include <algorithm>
#include <array>
#include <cerrno>

#include "sockstep/core/address.h"
#include "sockstep/model/strings.h"

namespace sockstep::ui {
namespace {

using core::ApiState;
using core::CallKind;
using core::Lang;
using core::Phase;
using core::TcpState;

struct Pair {
    const char* en;
    const char* ko;
    const char* Get(Lang lang) const { return lang == Lang::kKo ? ko : en; }
};

constexpr std::array<Pair, static_cast<size_t>(ApiState::kCount)> kApiLabels{{
    {"no socket", "소켓 없음"},
    {"Created", "생성됨"},
    {"Bound", "바인드됨"},
    {"Listening", "리슨 중"},
    {"Connecting", "연결 중"},
    {"Connected", "연결됨"},
    {"Shut down (write)", "쓰기 종료"},
    {"Shut down (read)", "읽기 종료"},
    {"Shut down (both)", "양방향 종료"},
    {"Closed", "닫힘"},
}};

struct TcpRow {
    TcpState state;
    std::string_view label;
    Pair meaning;
};

constexpr std::array kTcpRows{
    TcpRow{TcpState::kListen, "LISTEN", {"waiting for connection requests", "연결 요청을 기다림"}},
    TcpRow{TcpState::kSynSent,
           "SYN-SENT",
           {"sent SYN, waiting for SYN-ACK", "SYN을 보내고 SYN-ACK를 기다림"}},
    TcpRow{
        TcpState::kSynRecv,
        "SYN-RECV",
        {"got SYN, sent SYN-ACK, waiting for the ACK", "SYN을 받고 SYN-ACK를 보냄, ACK를 기다림"}},
    TcpRow{
        TcpState::kNewSynRecv,
        "SYN-RECV",
        {"got SYN, sent SYN-ACK, waiting for the ACK", "SYN을 받고 SYN-ACK를 보냄, ACK를 기다림"}},
    TcpRow{TcpState::kEstablished,
           "ESTAB",
           {"connected: data can flow both ways", "연결됨: 양쪽으로 데이터를 주고받을 수 있음"}},
    TcpRow{TcpState::kFinWait1,
           "FIN-WAIT-1",
           {"sent FIN, waiting for its ACK", "FIN을 보내고 그 ACK를 기다림"}},
    TcpRow{TcpState::kFinWait2,
           "FIN-WAIT-2",
           {"our FIN was acknowledged; waiting for the peer's FIN",
            "보낸 FIN은 확인됨, 상대의 FIN을 기다림"}},
    TcpRow{TcpState::kCloseWait,
           "CLOSE-WAIT",
           {"the peer closed; waiting for this program to close()",
            "상대가 닫았음, 이쪽 프로그램의 close()를 기다림"}},
    TcpRow{TcpState::kClosing,
           "CLOSING",
           {"both sides sent FIN at the same time", "양쪽이 동시에 FIN을 보냄"}},
    TcpRow{TcpState::kLastAck,
           "LAST-ACK",
           {"sent FIN after the peer's, waiting for the last ACK",
            "상대에 이어 FIN을 보내고 마지막 ACK를 기다림"}},
    TcpRow{TcpState::kTimeWait,
           "TIME-WAIT",
           {"closed; kept about 60 s so late packets cannot reach a new connection",
            "닫힘. 늦게 온 패킷이 새 연결에 섞이지 않도록 약 60초 동안 남겨 둠"}},
    TcpRow{
        TcpState::kClose,
        "CLOSE",
        {"no connection (a new or only bound socket)", "연결 없음 (새 소켓이거나 bind만 한 소켓)"}},
};

struct ErrnoRow {
    int err;
    Pair meaning;
};

constexpr std::array kErrnoRows{
    ErrnoRow{EACCES, {"permission denied", "권한이 없음"}},
    ErrnoRow{EADDRINUSE,
             {"another socket already uses this address and port",
              "다른 소켓이 이미 이 주소와 포트를 쓰고 있음"}},
    ErrnoRow{EADDRNOTAVAIL,
             {"this address does not belong to this machine", "이 컴퓨터의 주소가 아님"}},
    ErrnoRow{EAFNOSUPPORT, {"this address family is not supported", "지원하지 않는 주소 체계"}},
    ErrnoRow{EAGAIN,
             {"nothing is ready, and a non-blocking socket does not wait",
              "준비된 것이 없고, 논블로킹 소켓이라 기다리지 않음"}},
    ErrnoRow{EALREADY, {"a connection attempt is already in progress", "이미 연결을 시도하는 중"}},
    ErrnoRow{EBADF, {"this descriptor is not open", "열려 있지 않은 디스크립터"}},
    ErrnoRow{ECONNABORTED, {"the connection was aborted", "연결이 중간에 끊김"}},
    ErrnoRow{ECONNREFUSED,
             {"no socket holds that port: the kernel refused (TCP: a reset, RST; UDP: an ICMP "
              "port unreachable)",
              "그 포트를 가진 소켓이 없어 커널이 거절함 (TCP는 RST, UDP는 ICMP port "
              "unreachable)"}},
    ErrnoRow{ECONNRESET,
             {"the peer reset the connection (RST)", "상대가 연결을 강제로 끊음 (RST)"}},
    ErrnoRow{EDESTADDRREQ,
             {"no destination address: connect() or use sendto()",
              "목적지 주소가 없음: connect()를 하거나 sendto()를 사용"}},
    ErrnoRow{EFAULT, {"a bad memory address was passed", "잘못된 메모리 주소를 넘김"}},
    ErrnoRow{EHOSTUNREACH, {"no route to that host", "그 호스트로 가는 경로가 없음"}},
    ErrnoRow{EINPROGRESS,
             {"the handshake has started and goes on without waiting",
              "핸드셰이크가 시작되었고 기다리지 않고 계속 진행됨"}},
    ErrnoRow{EINTR, {"a signal interrupted the call", "시그널 때문에 호출이 중단됨"}},
    ErrnoRow{
        EINVAL,
        {"invalid for this socket in its current state", "지금 상태의 이 소켓에는 맞지 않는 호출"}},
    ErrnoRow{EISCONN, {"the socket is already connected", "소켓이 이미 연결되어 있음"}},
    ErrnoRow{
        EMFILE,
        {"this process has too many open descriptors", "이 프로세스가 연 디스크립터가 너무 많음"}},
    ErrnoRow{EMSGSIZE,
             {"the message is too long for one datagram", "데이터그램 하나에 담기에 너무 김"}},
    ErrnoRow{ENETUNREACH, {"the network is unreachable", "네트워크에 닿을 수 없음"}},
    ErrnoRow{ENFILE, {"the system has too many open files", "시스템 전체에 열린 파일이 너무 많음"}},
    ErrnoRow{ENOBUFS, {"the kernel is out of buffer space", "커널의 버퍼 공간이 부족함"}},
    ErrnoRow{ENOMEM, {"the kernel is out of memory", "커널 메모리가 부족함"}},
    ErrnoRow{ENOPROTOOPT, {"unknown option for this protocol", "이 프로토콜에 없는 옵션"}},
    ErrnoRow{ENOTCONN, {"the socket is not connected", "소켓이 연결되어 있지 않음"}},
    ErrnoRow{ENOTSOCK, {"this descriptor is not a socket", "이 디스크립터는 소켓이 아님"}},
    ErrnoRow{EOPNOTSUPP,
             {"this kind of socket does not support the call",
              "이 종류의 소켓은 이 호출을 지원하지 않음"}},
    ErrnoRow{EPERM, {"operation not permitted", "허용되지 않은 동작"}},
    ErrnoRow{EPIPE, {"the connection is closed for writing", "쓰기 방향이 이미 닫힌 연결"}},
    ErrnoRow{EPROTONOSUPPORT, {"protocol not supported", "지원하지 않는 프로토콜"}},
    ErrnoRow{EPROTOTYPE, {"wrong protocol for this socket type", "소켓 종류에 맞지 않는 프로토콜"}},
    ErrnoRow{ETIMEDOUT,
             {"no answer after all retries: the kernel gave up",
              "여러 번 다시 보냈지만 응답이 없어 커널이 포기함"}},
    ErrnoRow{ESOCKTNOSUPPORT, {"socket type not supported", "지원하지 않는 소켓 종류"}},
    ErrnoRow{ENOENT, {"no such file or directory", "그런 파일이나 디렉터리가 없음"}},
};

// The reasons of core's transition table (api_state.cpp) and of the Session's non-blocking
// predictions (session.cpp). A test checks that every reason in TransitionTable() is here.
struct WhyRow {
    std::string_view en;
    const char* ko;
};

constexpr std::array kWhyRows{
    WhyRow{"a new descriptor", "새 디스크립터"},
    WhyRow{"the descriptor is released", "디스크립터를 반납함"},
    WhyRow{"the descriptor was closed", "이미 닫은 디스크립터"},
    WhyRow{"listen() without bind() picks an ephemeral port",
           "bind() 없이 listen()하면 커널이 임시 포트를 고름"},
    WhyRow{"the kernel picks a local port", "커널이 내 쪽 포트를 고름"},
    WhyRow{"this socket is not listening", "이 소켓은 리슨 중이 아님"},
    WhyRow{"this socket is not connected", "이 소켓은 연결되어 있지 않음"},
    WhyRow{"the socket is not connected", "소켓이 연결되어 있지 않음"},
    WhyRow{"TCP ignores the address: the socket is not connected",
           "TCP는 주소를 무시함: 소켓이 연결되어 있지 않음"},
    WhyRow{"TCP ignores the address", "TCP는 주소를 무시함"},
    WhyRow{"there is no connection to shut down", "끊을 연결이 없음"},
    WhyRow{"there is no peer", "상대가 없음"},
    WhyRow{"the socket is already bound", "이미 bind한 소켓"},
    WhyRow{"listen() again only changes the backlog", "listen()을 다시 하면 backlog만 바뀜"},
    WhyRow{"waits until a connection is in the accept queue",
           "대기열에 연결이 들어올 때까지 기다림"},
    WhyRow{"a listening socket cannot connect", "리슨 소켓은 connect()할 수 없음"},
    WhyRow{"a listening socket carries no data", "리슨 소켓으로는 데이터를 주고받지 않음"},
    WhyRow{"SHUT_WR leaves a listener listening (SHUT_RD stops it)",
           "SHUT_WR로는 리슨이 계속됨 (SHUT_RD는 리슨을 멈춤)"},
    // What a prediction depends on (the table's `depends` column).
    WhyRow{"the address being free", "주소가 비어 있는지"},
    WhyRow{"a listener at that address", "그 주소에 리슨 소켓이 있는지"},
    WhyRow{"the peer not having reset the connection", "상대가 연결을 리셋하지 않았는지"},
    WhyRow{"no ICMP error from the peer being queued",
           "상대에게서 온 ICMP 오류가 쌓여 있지 않은지"},
    WhyRow{"a listener has no peer", "리슨 소켓에는 상대가 없음"},
    WhyRow{"the handshake is still in progress", "핸드셰이크가 아직 진행 중"},
    WhyRow{"a connecting socket cannot listen", "연결 중인 소켓은 listen()할 수 없음"},
    WhyRow{"waits only when the send buffer is full", "송신 버퍼가 가득 찼을 때만 기다림"},
    WhyRow{"waits until bytes arrive or the peer closes",
           "데이터가 오거나 상대가 닫을 때까지 기다림"},
    WhyRow{"the socket is already connected", "이미 연결된 소켓"},
    WhyRow{"a connected socket cannot listen", "연결된 소켓은 listen()할 수 없음"},
    WhyRow{"this side already sent its FIN", "이쪽은 이미 FIN을 보냈음"},
    WhyRow{"the other direction still works", "반대 방향은 아직 쓸 수 있음"},
    WhyRow{"reading after SHUT_RD returns 0 at once", "SHUT_RD 뒤에 읽으면 곧바로 0을 돌려줌"},
    WhyRow{"UDP connect() only records the peer: no packet is sent",
           "UDP의 connect()는 상대 주소만 기록함: 패킷은 보내지 않음"},
    WhyRow{"waits for a datagram", "데이터그램이 올 때까지 기다림"},
    WhyRow{"waits for a datagram from the peer", "상대의 데이터그램이 올 때까지 기다림"},
    WhyRow{"no peer: use sendto() or connect() first",
           "상대가 없음: sendto()를 쓰거나 먼저 connect()"},
    WhyRow{"UDP has no connections to listen for", "UDP에는 기다릴 연결이 없음"},
    WhyRow{"UDP has no connections to accept", "UDP에는 받아들일 연결이 없음"},
    WhyRow{"connect() again changes the peer", "connect()를 다시 하면 상대가 바뀜"},
    WhyRow{"non-blocking: the handshake goes on without us",
           "논블로킹: 핸드셰이크는 기다리지 않고 진행됨"},
    WhyRow{"non-blocking: nothing is waiting yet, so it does not wait",
           "논블로킹: 아직 준비된 것이 없지만 기다리지 않음"},
};

// Sentences about what a call did. {n} placeholders as in strings.h.
enum class Say {
    kSocket,
    kSocketNumber,
    kBind,
    kListen,
    kAccept,
    kAcceptFrom,
    kAcceptPeerClosed,
    kConnect,
    kConnectUdp,
    kSend,
    kSendto,
    kRecv,
    kRecvEof,
    kShutWr,
    kShutRd,
    kShutBoth,
    kCloseKept,
    kCloseGone,
    kSetsockopt,
    kNonblockOn,
    kNonblockOff,
    kGetsockname,
    kGetpeername,
    kPoll,
    kPollTimeout,
    kBlockAccept,
    kBlockConnect,
    kBlockRecv,
    kBlockSend,
    kBlockPoll,
    kBlockOther,
    kInterrupted,
    kRefused,
    kFailed,
    kRefusedConnect,
    kRefusedUdp,
    kAddrInUse,
    kTimedOut,
    kReset,
    kPipe,
    kKernelMoved,
    kPipeNeverConnected,
    kPipeShutWr,
    kNotConnected,
    kNoDestination,
    kCount
};

constexpr std::array<Pair, static_cast<size_t>(Say::kCount)> kSay{{
    {"The kernel made a new socket and gave the program descriptor {0}. It has no address and no "
     "connection yet.",
     "커널이 새 소켓을 만들고 프로그램에 디스크립터 {0}번을 주었습니다. 아직 주소도 연결도 "
     "없습니다."},
    {"Why {0} and not 3? A new descriptor is always the lowest number free in the process. A "
     "program of its own would usually get 3 (0, 1 and 2 are standard input, output and error); "
     "here the client and the server share sockstep's process, whose own descriptors hold the "
     "lower numbers.",
     "왜 3이 아니라 {0}일까요? 새 디스크립터는 언제나 그 프로세스에서 비어 있는 가장 작은 "
     "번호입니다. 따로 실행한 프로그램이라면 보통 3을 받습니다(0, 1, 2는 표준 입력, 출력, "
     "오류). 여기서는 클라이언트와 서버가 sockstep 프로세스 하나를 함께 쓰고, 더 작은 번호는 "
     "sockstep 자신의 디스크립터가 쓰고 있습니다."},
    {"The socket now owns the address {0}. Nothing was sent; no other socket can take this port "
     "now.",
     "소켓에 주소가 붙었습니다: {0}. 아무것도 보내지 않았고, 이제 다른 소켓은 이 포트를 쓸 수 "
     "없습니다."},
    {"The socket is a listener now (LISTEN). From here on the kernel itself answers connection "
     "requests to {0} and queues finished connections (backlog {1}).",
     "소켓이 리슨 소켓(LISTEN)이 되었습니다. 이제부터 {0} 주소로 오는 연결 요청에는 커널이 직접 "
     "응답하고, 완성된 연결을 대기열에 쌓아 둡니다 (backlog {1})."},
    {"accept() took the first finished connection off the queue and returned a NEW socket, fd {0}, "
     "on the same port {1}. The listener stays in LISTEN for the next client.",
     "accept()가 대기열에서 완성된 연결 하나를 꺼내 같은 포트({1})의 새 소켓을 돌려주었습니다: "
     "fd {0}. 리슨 소켓은 다음 클라이언트를 위해 계속 LISTEN 상태입니다."},
    {"The client is {0}.", "클라이언트 주소: {0}."},
    {"The client already closed its side: its FIN came in before accept() returned, so the new "
     "socket is CLOSE-WAIT. What it sent can still be read; then recv() returns 0.",
     "클라이언트는 이미 자기 쪽을 닫았습니다. accept()가 돌아오기 전에 FIN이 와서 새 소켓은 "
     "CLOSE-WAIT 상태입니다. 보낸 데이터는 아직 읽을 수 있고, 그 뒤 recv()는 0을 돌려줍니다."},
    {"The three-way handshake (SYN, SYN-ACK, ACK) finished inside connect(): both ends are ESTAB. "
     "On the server side the kernel did it alone, without waiting for accept().",
     "connect() 안에서 3-way 핸드셰이크(SYN, SYN-ACK, ACK)가 끝나 양쪽 모두 ESTAB 상태가 "
     "되었습니다. 서버 쪽은 accept()를 기다리지 않고 커널이 혼자 처리했습니다."},
    {"UDP connect() only records the peer's address: no packet was sent.",
     "UDP의 connect()는 상대 주소만 기록합니다. 패킷은 하나도 보내지 않았습니다."},
    {"{0} bytes were copied into the kernel's send buffer. On loopback they reach the peer's "
     "receive queue at once: see its \"to read\" bar.",
     "{0}바이트가 커널의 송신 버퍼로 복사되었습니다. 루프백에서는 곧바로 상대의 수신 큐에 "
     "도착합니다. 상대 카드의 '읽을 데이터' 막대를 보세요."},
    {"One datagram of {0} bytes was sent.", "{0}바이트짜리 데이터그램 하나를 보냈습니다."},
    {"{0} bytes were taken out of the receive queue.", "수신 큐에서 {0}바이트를 꺼냈습니다."},
    {"It returned 0: the peer has closed its side (FIN). No more data will come.",
     "0을 돌려주었습니다. 상대가 자기 쪽을 닫았다(FIN)는 뜻이고, 더 올 데이터는 없습니다."},
    {"shutdown(SHUT_WR) sent a FIN: this side will write no more, but it can still read.",
     "shutdown(SHUT_WR)이 FIN을 보냈습니다. 이쪽은 더 쓰지 않지만 읽기는 계속할 수 있습니다."},
    {"shutdown(SHUT_RD): this side will read no more.",
     "shutdown(SHUT_RD): 이쪽은 더 이상 읽지 않습니다."},
    {"shutdown(SHUT_RDWR): both directions are shut, and a FIN was sent.",
     "shutdown(SHUT_RDWR): 양방향을 모두 닫고 FIN을 보냈습니다."},
    {"The descriptor is gone, but the connection is not finished: the kernel keeps the socket on "
     "its own, now in {0} (dashed card).",
     "디스크립터는 사라졌지만 연결 정리는 끝나지 않았습니다. 커널이 소켓을 혼자 붙잡고 있으며, "
     "지금 상태는 {0}입니다 (점선 카드)."},
    {"The descriptor is gone, and the kernel has forgotten the socket.",
     "디스크립터가 사라졌고, 커널에도 이 소켓이 남아 있지 않습니다."},
    {"{0} is set.", "{0} 옵션을 설정했습니다."},
    {"The socket is non-blocking now: a call that would wait returns EAGAIN or EINPROGRESS "
     "instead.",
     "이제 논블로킹 소켓입니다. 기다려야 할 호출은 기다리지 않고 EAGAIN이나 EINPROGRESS를 "
     "돌려줍니다."},
    {"The socket is blocking again.", "다시 블로킹 소켓이 되었습니다."},
    {"The socket's own address: {0}.", "소켓의 주소: {0}."},
    {"The peer's address: {0}.", "상대의 주소: {0}."},
    {"poll() returned {0}: {1}", "poll()의 반환값 {0}: {1}"},
    {"poll() timed out: no socket became ready.", "poll() 시간 초과: 준비된 소켓이 없습니다."},
    {"The accept queue is empty, so accept() sleeps in the kernel until a client connects. This "
     "program cannot go on meanwhile; the others can.",
     "accept 대기열이 비어 있어서 accept()는 클라이언트가 연결할 때까지 커널 안에서 잠듭니다. "
     "그동안 이 프로그램은 멈춰 있고, 다른 프로그램은 계속 움직일 수 있습니다."},
    {"There is no room in the listener's queue: connect() waits while the kernel resends the "
     "SYN.",
     "리슨 소켓의 대기열에 자리가 없습니다. 커널이 SYN을 다시 보내는 동안 connect()는 "
     "기다립니다."},
    {"Nothing to read yet: the call sleeps until data or a FIN arrives.",
     "아직 읽을 것이 없어서 데이터나 FIN이 올 때까지 잠듭니다."},
    {"The send buffer is full: send() waits until the peer reads.",
     "송신 버퍼가 가득 차서 상대가 읽을 때까지 send()가 기다립니다."},
    {"poll() sleeps until one of the sockets is ready.",
     "poll()은 소켓 중 하나가 준비될 때까지 잠듭니다."},
    {"The call sleeps in the kernel.", "호출이 커널 안에서 잠들어 있습니다."},
    {"Reset woke the sleeping call (EINTR); every socket was closed.",
     "'처음부터'가 잠든 호출을 깨웠고(EINTR), 모든 소켓을 닫았습니다."},
    {"sockstep did not make this call: {0}", "sockstep이 이 호출을 실행하지 않았습니다: {0}"},
    {"{0}() failed with {1}.", "{0}() 실패: {1}."},
    {"Nobody is listening on that port, so the kernel answered the SYN with a reset (RST).",
     "그 포트에서 리슨하는 소켓이 없어서 커널이 SYN에 RST로 답했습니다."},
    {"An earlier datagram of this socket went to a port no socket holds, and the kernel answered "
     "with an ICMP port unreachable (no RST: UDP has none). This connected UDP socket kept that "
     "error, and this call reports it as ECONNREFUSED.",
     "이 소켓이 앞서 보낸 데이터그램이 아무 소켓도 없는 포트로 갔고, 커널이 ICMP port "
     "unreachable로 답했습니다 (UDP에는 RST가 없습니다). connect()한 UDP 소켓이라 그 오류를 받아 "
     "두었다가, 이 호출이 ECONNREFUSED로 알려 줍니다."},
    {"Another socket already holds this address (perhaps one in TIME-WAIT). SO_REUSEADDR allows "
     "binding anyway.",
     "다른 소켓이 이미 이 주소를 쓰고 있습니다 (TIME-WAIT 상태의 소켓일 수도 있습니다). "
     "SO_REUSEADDR을 켜면 bind할 수 있습니다."},
    {"The SYN was resent several times with no answer, and the kernel gave up.",
     "SYN을 여러 번 다시 보냈지만 응답이 없어 커널이 포기했습니다."},
    {"The peer reset the connection (RST): what was in flight is lost.",
     "상대가 연결을 강제로 끊었습니다(RST). 오가던 데이터는 사라집니다."},
    {"The kernel answered EPIPE: the connection is closed for writing (the peer reset or closed "
     "it).",
     "커널이 EPIPE로 답했습니다. 연결의 쓰기 방향이 닫혔습니다 (상대가 연결을 끊었거나 "
     "닫았습니다)."},
    {"No call ran: the kernel changed a socket on its own (an ACK or a FIN arrived, a timer ran "
     "out, a segment was resent). The cards show what it holds now.",
     "호출은 없었습니다. 커널이 스스로 소켓을 바꾸었습니다 (ACK나 FIN이 도착했거나, 타이머가 "
     "끝났거나, 세그먼트를 다시 보냈습니다). 카드는 커널이 지금 가진 상태입니다."},
    {"The kernel answered EPIPE: this socket was never connected, so there is no connection to "
     "write to. (Linux's TCP says EPIPE here, not ENOTCONN.)",
     "커널이 EPIPE로 답했습니다. 이 소켓은 연결된 적이 없어서 쓸 연결이 없습니다. (리눅스 TCP는 "
     "여기서 ENOTCONN이 아니라 EPIPE를 돌려줍니다.)"},
    {"The kernel answered EPIPE: this side shut writing down (shutdown SHUT_WR, its FIN is sent), "
     "so nothing more can be sent.",
     "커널이 EPIPE로 답했습니다. 이쪽이 쓰기를 닫았으므로(shutdown SHUT_WR, FIN을 보냄) 더 보낼 "
     "수 없습니다."},
    {"The kernel answered ENOTCONN: this socket is not connected, so there is no peer to talk to.",
     "커널이 ENOTCONN으로 답했습니다. 이 소켓은 연결되어 있지 않아 주고받을 상대가 없습니다."},
    {"The kernel answered EDESTADDRREQ: this UDP socket has no peer (no connect()), so send() "
     "has no address to send to; sendto() names one.",
     "커널이 EDESTADDRREQ로 답했습니다. 이 UDP 소켓은 상대가 없어서(connect() 안 함) send()로는 "
     "보낼 주소가 없습니다. sendto()로 주소를 지정하세요."},
}};

const char* S(Say say, Lang lang) {
    return kSay[static_cast<size_t>(say)].Get(lang);
}

std::string Say1(Say say, Lang lang, std::string_view a) {
    return FormatPositional(S(say, lang), {a});
}

const core::SocketView* View(const core::Event& e, int id) {
    return core::FindSocket(e.sockets, id);
}

std::string LocalOf(const core::SocketView* v) {
    return v && v->local ? core::FormatEndpoint(*v->local) : std::string("?");
}

std::string ExplainReturn(const core::Event& e, Lang lang) {
    const CallKind call = e.request.call;
    if (e.err != 0) {
        std::string out;
        const core::SocketView* failed_on = View(e, e.socket_id);
        if (e.err == ECONNREFUSED && failed_on && failed_on->type == core::SockType::kDgram) {
            out = S(Say::kRefusedUdp, lang);
        } else if (call == CallKind::kConnect && e.err == ECONNREFUSED) {
            out = S(Say::kRefusedConnect, lang);
        } else if (call == CallKind::kBind && e.err == EADDRINUSE) {
            out = S(Say::kAddrInUse, lang);
        } else if (e.err == ETIMEDOUT) {
            out = S(Say::kTimedOut, lang);
        } else if (e.err == ECONNRESET) {
            out = S(Say::kReset, lang);
        } else if (e.err == EPIPE) {
            // Which EPIPE: the API state the failed call left (unchanged) says why.
            const core::SocketView* v = View(e, e.socket_id);
            const ApiState state = v ? v->api_state : ApiState::kNone;
            if (state == ApiState::kCreated || state == ApiState::kBound ||
                state == ApiState::kListening) {
                out = S(Say::kPipeNeverConnected, lang);
            } else if (state == ApiState::kShutWr || state == ApiState::kShutRdWr) {
                out = S(Say::kPipeShutWr, lang);
            } else {
                out = S(Say::kPipe, lang);
            }
        } else if (e.err == ENOTCONN) {
            out = S(Say::kNotConnected, lang);
        } else if (e.err == EDESTADDRREQ) {
            out = S(Say::kNoDestination, lang);
        } else {
            const std::string why = e.predicted.known && e.predicted.result == e.err
                                        ? std::string(e.predicted.why)
                                        : std::string();
            out = FormatPositional(S(Say::kFailed, lang),
                                   {core::CallName(call), ErrnoLineOf(e, why, lang)});
        }
        return out;
    }
    const core::SocketView* target = View(e, e.socket_id);
    switch (call) {
        case CallKind::kSocket: {
            std::string out = Say1(Say::kSocket, lang, std::to_string(e.ret));
            // The first socket a learner sees gets a number far from a textbook's 3: say why,
            // once, while it is the only one the actors hold.
            const auto held =
                std::count_if(e.sockets.begin(), e.sockets.end(), [](const core::SocketView& v) {
                    return v.owner == core::Owner::kActor && v.fd >= 0;
                });
            if (e.ret > 3 && held == 1) {
                out += " " + Say1(Say::kSocketNumber, lang, std::to_string(e.ret));
            }
            return out;
        }
        case CallKind::kBind:
            return Say1(Say::kBind, lang, LocalOf(target));
        case CallKind::kListen:
            return FormatPositional(
                S(Say::kListen, lang),
                {LocalOf(target),
                 std::to_string(target ? target->backlog : e.request.args.backlog)});
        case CallKind::kAccept: {
            const core::SocketView* conn = View(e, e.result_socket_id);
            const std::string port =
                conn && conn->local ? std::to_string(conn->local->port) : std::string("?");
            std::string out =
                FormatPositional(S(Say::kAccept, lang), {std::to_string(e.ret), port});
            if (e.peer) out += " " + Say1(Say::kAcceptFrom, lang, core::FormatEndpoint(*e.peer));
            // A client that sends and closes at once (nc or socat with its input at its end).
            if (conn && conn->tcp_state == core::TcpState::kCloseWait) {
                out += std::string(" ") + S(Say::kAcceptPeerClosed, lang);
            }
            return out;
        }
        case CallKind::kConnect:
            if (target && target->type == core::SockType::kDgram) return S(Say::kConnectUdp, lang);
            return S(Say::kConnect, lang);
        case CallKind::kSend:
        case CallKind::kWrite:
            return Say1(Say::kSend, lang, std::to_string(e.ret));
        case CallKind::kSendto:
            if (target && target->type == core::SockType::kStream) {
                return Say1(Say::kSend, lang, std::to_string(e.ret));
            }
            return Say1(Say::kSendto, lang, std::to_string(e.ret));
        case CallKind::kRecv:
        case CallKind::kRead:
        case CallKind::kRecvfrom: {
            if (e.ret == 0 && (!target || target->type == core::SockType::kStream)) {
                return S(Say::kRecvEof, lang);
            }
            std::string out = Say1(Say::kRecv, lang, std::to_string(e.ret));
            if (e.peer && call == CallKind::kRecvfrom) {
                out += " " + Say1(Say::kAcceptFrom, lang, core::FormatEndpoint(*e.peer));
            }
            return out;
        }
        case CallKind::kShutdown:
            switch (e.request.args.how) {
                case core::ShutHow::kWr:
                    return S(Say::kShutWr, lang);
                case core::ShutHow::kRd:
                    return S(Say::kShutRd, lang);
                case core::ShutHow::kRdWr:
                    return S(Say::kShutBoth, lang);
            }
            return {};
        case CallKind::kClose:
            if (target && target->tcp_state && target->owner == core::Owner::kKernel) {
                return Say1(Say::kCloseKept, lang, TcpStateLabel(*target->tcp_state));
            }
            return S(Say::kCloseGone, lang);
        case CallKind::kSetsockopt:
            return Say1(Say::kSetsockopt, lang, core::SockOptName(e.request.args.option));
        case CallKind::kFcntl:
            return S(e.request.args.nonblocking ? Say::kNonblockOn : Say::kNonblockOff, lang);
        case CallKind::kGetsockname:
            return Say1(Say::kGetsockname, lang, LocalOf(target));
        case CallKind::kGetpeername:
            return Say1(Say::kGetpeername, lang,
                        target && target->remote ? core::FormatEndpoint(*target->remote) : "?");
        case CallKind::kPoll:
            if (e.ret == 0) return S(Say::kPollTimeout, lang);
            return FormatPositional(S(Say::kPoll, lang), {std::to_string(e.ret), e.data});
        case CallKind::kCount:
            break;
    }
    return {};
}

std::string ExplainBlocked(const core::Event& e, Lang lang) {
    switch (e.request.call) {
        case CallKind::kAccept:
            return S(Say::kBlockAccept, lang);
        case CallKind::kConnect:
            return S(Say::kBlockConnect, lang);
        case CallKind::kRecv:
        case CallKind::kRead:
        case CallKind::kRecvfrom:
            return S(Say::kBlockRecv, lang);
        case CallKind::kSend:
        case CallKind::kWrite:
        case CallKind::kSendto:
            return S(Say::kBlockSend, lang);
        case CallKind::kPoll:
            return S(Say::kBlockPoll, lang);
        default:
            return S(Say::kBlockOther, lang);
    }
}

}  // namespace

const char* ApiStateLabel(ApiState state, Lang lang) {
    const auto i = static_cast<size_t>(state);
    return i < kApiLabels.size() ? kApiLabels[i].Get(lang) : "?";
}

const char* TcpStateMeaning(TcpState state, Lang lang) {
    for (const TcpRow& row : kTcpRows) {
        if (row.state == state) return row.meaning.Get(lang);
    }
    return "";
}

std::string_view TcpStateLabel(TcpState state) {
    for (const TcpRow& row : kTcpRows) {
        if (row.state == state) return row.label;
    }
    return core::TcpStateName(state);
}

// A UDP socket's two states (SocketStateLabel): ss's words and what they mean for datagrams.
constexpr Pair kUdpUnconnected{"not connected: takes datagrams from any address",
                               "연결 안 됨: 어느 주소에서 온 데이터그램이든 받음"};
constexpr Pair kUdpConnected{
    "connected: connect() set a default peer; only its datagrams arrive (no handshake)",
    "연결됨: connect()로 기본 상대를 정함, 그 주소의 데이터그램만 받음 (핸드셰이크 없음)"};

std::string_view SocketStateLabel(TcpState state, core::SockType type) {
    if (type == core::SockType::kDgram) {
        if (state == TcpState::kClose) return "UNCONN";
        if (state == TcpState::kEstablished) return "ESTAB";
    }
    return TcpStateLabel(state);
}

const char* SocketStateMeaning(TcpState state, core::SockType type, Lang lang) {
    if (type == core::SockType::kDgram) {
        if (state == TcpState::kClose) return kUdpUnconnected.Get(lang);
        if (state == TcpState::kEstablished) return kUdpConnected.Get(lang);
    }
    return TcpStateMeaning(state, lang);
}

std::string ErrnoMeaning(int err, Lang lang) {
    for (const ErrnoRow& row : kErrnoRows) {
        if (row.err == err) return row.meaning.Get(lang);
    }
    return core::ErrnoMessage(err);
}

// ECONNREFUSED where the socket's type is known (ErrnoMeaningOf).
constexpr Pair kTcpRefused{"nobody is listening there: the kernel answered with a reset (RST)",
                           "그 주소에서 리슨하는 소켓이 없어 커널이 RST로 거절함"};
constexpr Pair kUdpRefused{
    "no socket holds that port: the kernel answered with an ICMP port unreachable",
    "그 포트를 가진 소켓이 없어 커널이 ICMP port unreachable로 답함"};

std::string ErrnoMeaningOf(const core::Event& e, Lang lang) {
    const core::SocketView* v = View(e, e.socket_id);
    if (e.err != ECONNREFUSED || v == nullptr) return ErrnoMeaning(e.err, lang);
    return (v->type == core::SockType::kDgram ? kUdpRefused : kTcpRefused).Get(lang);
}

std::vector<int> ExplainedErrnos() {
    std::vector<int> out;
    for (const ErrnoRow& row : kErrnoRows) out.push_back(row.err);
    return out;
}

std::string ErrnoLine(int err, std::string_view why_en, Lang lang) {
    std::string out(core::ErrnoName(err));
    out += ": ";
    out += why_en.empty() ? ErrnoMeaning(err, lang) : TranslateWhy(why_en, lang);
    return out;
}

std::string ErrnoLineOf(const core::Event& e, std::string_view why_en, Lang lang) {
    if (e.err == ECONNREFUSED && View(e, e.socket_id) != nullptr) {
        return std::string(core::ErrnoName(e.err)) + ": " + ErrnoMeaningOf(e, lang);
    }
    return ErrnoLine(e.err, why_en, lang);
}

bool IsSoftErrno(int err) {
    return err == EINPROGRESS || err == EAGAIN || err == EALREADY || err == EINTR;
}

std::string TranslateWhy(std::string_view why_en, Lang lang) {
    if (lang == Lang::kEn) return std::string(why_en);
    for (const WhyRow& row : kWhyRows) {
        if (row.en == why_en) return row.ko;
    }
    return std::string(why_en);
}

bool HasTranslation(std::string_view why_en) {
    for (const WhyRow& row : kWhyRows) {
        if (row.en == why_en) return true;
    }
    return why_en.empty();
}

std::string ExplainEvent(const core::Event& e, Lang lang) {
    switch (e.phase) {
        case Phase::kEnter:
            return {};
        case Phase::kBlocked:
            return ExplainBlocked(e, lang);
        case Phase::kInterrupted:
            return S(Say::kInterrupted, lang);
        case Phase::kRefused:
            return Say1(Say::kRefused, lang, e.message);
        case Phase::kReturn:
            return ExplainReturn(e, lang);
        case Phase::kPacket:
            return e.packet ? ExplainPacket(*e.packet, lang) : std::string();
        case Phase::kKernel:
            return S(Say::kKernelMoved, lang);
    }
    return {};
}

std::string DescribePrediction(const core::Prediction& p, Lang lang) {
    if (!p.known) return Tr(Text::kPredictUnknown, lang);
    if (p.result != 0) {
        return Fmt(Text::kPredictFail, lang,
                   {core::ErrnoName(p.result),
                    p.why.empty() ? ErrnoMeaning(p.result, lang) : TranslateWhy(p.why, lang)});
    }
    std::string out = Tr(Text::kPredictOk, lang);
    if (p.next != ApiState::kNone) {
        out += " → ";
        out += ApiStateLabel(p.next, lang);
    }
    if (p.may_block) {
        out += " (";
        out += Tr(Text::kPredictBlock, lang);
        out += ")";
    }
    // Not a confident success: the table cannot know what the outcome needs.
    if (!p.depends.empty())
        return Fmt(Text::kPredictDepends, lang, {TranslateWhy(p.depends, lang), out});
    return out;
}

std::string AllExplainText(Lang lang) {
    std::string all;
    for (const Pair& p : kApiLabels) all += p.Get(lang);
    for (const TcpRow& row : kTcpRows) all += row.meaning.Get(lang);
    for (const ErrnoRow& row : kErrnoRows) all += row.meaning.Get(lang);
    for (const Pair& p : kSay) all += p.Get(lang);
    all += kTcpRefused.Get(lang);
    all += kUdpRefused.Get(lang);
    all += AllPacketText(lang);
    all += AllPythonNoteText(lang);
    if (lang == Lang::kKo) {
        for (const WhyRow& row : kWhyRows) all += row.ko;
    }
    return all;
}

}  // namespace sockstep::ui
