// Kernel socket state names, spelled as ss(8) spells them.
#include "sockstep/core/tcp_state.h"

#include <array>

namespace sockstep::core {
namespace {

constexpr std::array<std::string_view, 13> kNames{
    "",      "ESTAB",      "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
    "CLOSE", "CLOSE-WAIT", "LAST-ACK", "LISTEN",   "CLOSING",    "SYN-RECV"};

}  // namespace

std::string_view TcpStateName(TcpState state) {
    return kNames[static_cast<size_t>(state)];
}

std::optional<TcpState> ParseTcpState(std::string_view name) {
    for (size_t i = 1; i <= 11; ++i) {
        if (kNames[i] == name) return static_cast<TcpState>(i);
    }
    return std::nullopt;
}

std::optional<TcpState> TcpStateFromKernel(int value) {
    if (value < 1 || value > 12) return std::nullopt;
    return static_cast<TcpState>(value);
}

}  // namespace sockstep::core
