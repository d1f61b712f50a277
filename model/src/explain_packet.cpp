// What a captured segment, datagram or ICMP error means, read from its own header fields only:
// its flags, relative numbers and length, an ICMP error's type, code and quoted ends. Nothing here
// is inferred from the calls around it.
#include <string>

#include "sockstep/model/explain.h"
#include "sockstep/model/strings.h"

namespace sockstep::ui {
namespace {

struct Pair {
    const char* en;
    const char* ko;
};

const char* Pick(const Pair& p, core::Lang lang) {
    return lang == core::Lang::kKo ? p.ko : p.en;
}

constexpr Pair kRst{
    "RST: the connection is aborted at once, without the FIN exchange. The other side's next call "
    "fails: ECONNRESET, or ECONNREFUSED while it is still connecting.",
    "RST: FIN 교환 없이 연결을 그 자리에서 끊습니다. 상대의 다음 호출은 실패합니다: ECONNRESET, "
    "연결 "
    "중이었다면 ECONNREFUSED."};
constexpr Pair kSyn{
    "SYN: a request to open a connection, step 1 of the three-way handshake. It carries the "
    "sender's first sequence number (shown as 0).",
    "SYN: 연결을 열자는 요청, 3-way 핸드셰이크의 1단계입니다. 보내는 쪽의 첫 순서 번호가 "
    "들어 있습니다 (0으로 표시)."};
constexpr Pair kSynAck{
    "SYN-ACK: the listening side's kernel agrees and acknowledges the SYN, step 2 of 3. No "
    "accept() is needed for this: the kernel answers on its own.",
    "SYN-ACK: 리슨하는 쪽의 커널이 요청을 받아들이고 SYN을 확인합니다 (3단계 중 2단계). accept() "
    "없이 커널이 스스로 답합니다."};
constexpr Pair kHandshakeAck{
    "ACK: step 3 of the handshake. After it both sides are ESTABLISHED and data can flow.",
    "ACK: 핸드셰이크의 3단계입니다. 이제 양쪽 모두 ESTABLISHED이고 데이터가 오갈 수 있습니다."};
constexpr Pair kFin{
    "FIN: the sender will send no more data (close() or shutdown(SHUT_WR)). Once the peer has "
    "read what came before it, its recv() returns 0.",
    "FIN: 보내는 쪽이 더 보낼 데이터가 없다는 표시입니다 (close() 또는 shutdown(SHUT_WR)). 상대는 "
    "그 앞의 데이터를 다 읽고 나면 recv()가 0을 돌려줍니다."};
constexpr Pair kData{"Data: {0} bytes of the byte stream, bytes {1} to {2} of this direction.",
                     "데이터: 바이트 스트림의 {0}바이트, 이 방향의 {1}번부터 {2}번 바이트입니다."};
constexpr Pair kAck{
    "ACK: every byte before {0} arrived (ack is the next byte expected). It carries no data.",
    "ACK: {0}번 바이트 앞까지 모두 도착했다는 확인입니다 (ack는 다음에 기다리는 바이트). 데이터는 "
    "없습니다."};
constexpr Pair kUdp{
    "UDP datagram: one message of {0} bytes. No handshake, no acknowledgement, no retransmission.",
    "UDP 데이터그램: {0}바이트짜리 메시지 하나. 핸드셰이크도, 확인 응답도, 재전송도 없습니다."};

constexpr Pair kIcmpPortUnreachable{
    "{0}: no socket holds {1}, so the kernel of that host answered the datagram with this error, "
    "which quotes the datagram's headers (that is how the sender's kernel finds the socket). A "
    "connected UDP socket's next call fails with ECONNREFUSED; an unconnected one never learns "
    "of it. UDP has no RST.",
    "{0}: {1}에 소켓이 없어서 그 호스트의 커널이 데이터그램에 이 오류로 답했습니다. 오류 "
    "안에 데이터그램의 헤더가 들어 있어서 보낸 쪽 커널이 어느 소켓의 것인지 압니다. connect()한 "
    "UDP 소켓은 다음 호출이 ECONNREFUSED로 실패하고, connect()하지 않은 소켓은 알지 못합니다. "
    "UDP에는 RST가 없습니다."};
constexpr Pair kIcmpOther{
    "{0}: the kernel could not deliver a datagram to {1} and says why with this error, which "
    "quotes the datagram's headers.",
    "{0}: 커널이 {1}(으)로 데이터그램을 전달하지 못했고, 이 오류로 그 이유를 알립니다. 오류 안에 "
    "데이터그램의 헤더가 들어 있습니다."};

constexpr Pair kAll[] = {kRst,  kSyn, kSynAck, kHandshakeAck,        kFin,
                         kData, kAck, kUdp,    kIcmpPortUnreachable, kIcmpOther};

}  // namespace

std::string AllPacketText(core::Lang lang) {
    std::string all;
    for (const Pair& p : kAll) all += Pick(p, lang);
    return all;
}

std::string ExplainPacket(const core::Packet& p, core::Lang lang) {
    if (p.transport == core::Transport::kUdp) {
        return FormatPositional(Pick(kUdp, lang), {std::to_string(p.length)});
    }
    if (p.transport == core::Transport::kIcmp) {
        if (!p.icmp) return core::IcmpErrorName(p);
        // Port unreachable: ICMP type 3 code 3, ICMPv6 type 1 code 4 (RFC 792, RFC 4443).
        const bool v6 = p.src.family == core::Family::kInet6;
        const bool port =
            v6 ? p.icmp->type == 1 && p.icmp->code == 4 : p.icmp->type == 3 && p.icmp->code == 3;
        return FormatPositional(Pick(port ? kIcmpPortUnreachable : kIcmpOther, lang),
                                {core::IcmpErrorName(p), core::IcmpAbout(*p.icmp)});
    }
    const bool syn = p.flags & core::kTcpSyn;
    const bool ack = p.flags & core::kTcpAck;
    if (p.flags & core::kTcpRst) return Pick(kRst, lang);
    if (syn) return Pick(ack ? kSynAck : kSyn, lang);
    std::string out;
    if (p.flags & core::kTcpFin) {
        out = Pick(kFin, lang);
    } else if (p.length > 0) {
        out = FormatPositional(Pick(kData, lang),
                               {std::to_string(p.length), std::to_string(p.rel_seq),
                                std::to_string(p.rel_seq + p.length - 1)});
    } else if (ack && p.rel_seq == 1 && p.rel_ack == 1) {
        // A bare ACK of just the peer's SYN from a side that has sent only its own SYN: the
        // handshake's third segment (a later window update could look the same; rare here).
        out = Pick(kHandshakeAck, lang);
    } else if (ack) {
        out = FormatPositional(Pick(kAck, lang), {std::to_string(p.rel_ack)});
    }
    return out;
}

}  // namespace sockstep::ui
