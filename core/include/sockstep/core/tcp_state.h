// Kernel socket states, numbered as Linux numbers them (include/net/tcp_states.h) and spelled
// as ss(8) spells them: ESTAB, SYN-SENT, SYN-RECV, FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT, CLOSE,
// CLOSE-WAIT, LAST-ACK, LISTEN, CLOSING (the 11 states of RFC 9293). This spelling is used
// everywhere: logs, trace, UI, lessons.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sockstep::core {

enum class TcpState : uint8_t {
    kEstablished = 1,
    kSynSent = 2,
    kSynRecv = 3,
    kFinWait1 = 4,
    kFinWait2 = 5,
    kTimeWait = 6,
    kClose = 7,
    kCloseWait = 8,
    kLastAck = 9,
    kListen = 10,
    kClosing = 11,
    kNewSynRecv = 12,  // Linux's request-socket state; shown as SYN-RECV
};

std::string_view TcpStateName(TcpState state);
std::optional<TcpState> ParseTcpState(std::string_view name);
// Linux's numeric state (tcpi_state, idiag_state) to the enum; nullopt when out of range.
std::optional<TcpState> TcpStateFromKernel(int value);

}  // namespace sockstep::core
