// Names of calls and their argument constants, spelled as in C.
#include "sockstep/core/call.h"

#include <algorithm>
#include <array>

#include "sockstep/core/terminal_text.h"

namespace sockstep::core {
namespace {

constexpr std::array<std::string_view, static_cast<size_t>(CallKind::kCount)> kCallNames{
    "socket",   "setsockopt", "fcntl", "bind",        "listen",      "accept",
    "connect",  "send",       "write", "recv",        "read",        "sendto",
    "recvfrom", "shutdown",   "close", "getsockname", "getpeername", "poll"};

constexpr std::array<std::string_view, static_cast<size_t>(SockOpt::kCount)> kOptNames{
    "SO_REUSEADDR", "SO_REUSEPORT", "SO_LINGER", "TCP_NODELAY",
    "TCP_SYNCNT",   "SO_RCVBUF",    "SO_SNDBUF"};

template <typename Enum, size_t N>
std::optional<Enum> Find(const std::array<std::string_view, N>& names, std::string_view name) {
    for (size_t i = 0; i < N; ++i) {
        if (names[i] == name) return static_cast<Enum>(i);
    }
    return std::nullopt;
}

std::string FormatAddress(const Address& a) {
    if (!a.peer.empty()) return "<" + a.peer + ">";
    const std::string host = a.host.empty() ? "loopback" : a.host;
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(a.port);
}

}  // namespace

std::string QuoteC(std::string_view data, size_t max_bytes) {
    std::string out = "\"";
    const auto octal = [&out](unsigned char byte) {
        out += '\\';
        out += static_cast<char>('0' + (byte >> 6));
        out += static_cast<char>('0' + ((byte >> 3) & 7));
        out += static_cast<char>('0' + (byte & 7));
    };
    for (size_t i = 0; i < data.size();) {
        if (i >= max_bytes) return out + "\"...";
        const char c = data[i];
        if (static_cast<unsigned char>(c) >= 0x80) {
            // Data from a peer: a C1 control (U+009B is CSI), a bidirectional override or a
            // byte that is not UTF-8 is escaped like a C0 control, never sent to a terminal.
            char32_t code = 0;
            const size_t length = Utf8At(data, i, code);
            if (length > 0 && !TerminalActsOn(code)) {
                out.append(data.substr(i, length));
                i += length;
            } else {
                const size_t end = i + std::max<size_t>(length, 1);
                for (; i < end; ++i) octal(static_cast<unsigned char>(data[i]));
            }
            continue;
        }
        ++i;
        switch (c) {
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            default: {
                const auto byte = static_cast<unsigned char>(c);
                if (byte < 0x20 || byte == 0x7f) {
                    octal(byte);
                } else {
                    out += c;
                }
            }
        }
    }
    return out + "\"";
}

std::string_view CallName(CallKind call) {
    return kCallNames[static_cast<size_t>(call)];
}
std::optional<CallKind> ParseCallName(std::string_view name) {
    return Find<CallKind>(kCallNames, name);
}

std::string_view FamilyName(Family family) {
    return family == Family::kInet ? "AF_INET" : "AF_INET6";
}
std::optional<Family> ParseFamily(std::string_view name) {
    if (name == "AF_INET") return Family::kInet;
    if (name == "AF_INET6") return Family::kInet6;
    return std::nullopt;
}

std::string_view SockTypeName(SockType type) {
    return type == SockType::kStream ? "SOCK_STREAM" : "SOCK_DGRAM";
}
std::optional<SockType> ParseSockType(std::string_view name) {
    if (name == "SOCK_STREAM") return SockType::kStream;
    if (name == "SOCK_DGRAM") return SockType::kDgram;
    return std::nullopt;
}

std::string_view SockOptName(SockOpt option) {
    return kOptNames[static_cast<size_t>(option)];
}
std::optional<SockOpt> ParseSockOpt(std::string_view name) {
    return Find<SockOpt>(kOptNames, name);
}

std::string_view ShutHowName(ShutHow how) {
    switch (how) {
        case ShutHow::kRd:
            return "SHUT_RD";
        case ShutHow::kWr:
            return "SHUT_WR";
        case ShutHow::kRdWr:
            return "SHUT_RDWR";
    }
    return "SHUT_WR";
}
std::optional<ShutHow> ParseShutHow(std::string_view name) {
    if (name == "SHUT_RD") return ShutHow::kRd;
    if (name == "SHUT_WR") return ShutHow::kWr;
    if (name == "SHUT_RDWR") return ShutHow::kRdWr;
    return std::nullopt;
}

bool CreatesSocket(CallKind call) {
    return call == CallKind::kSocket || call == CallKind::kAccept;
}
bool NeedsSocket(CallKind call) {
    return call != CallKind::kSocket && call != CallKind::kPoll;
}

std::string FormatCall(const CallRequest& r) {
    const CallArgs& a = r.args;
    std::string out(CallName(r.call));
    out += "(";
    switch (r.call) {
        case CallKind::kSocket:
            out += std::string(FamilyName(a.family)) + ", " + std::string(SockTypeName(a.type)) +
                   ", 0";
            break;
        case CallKind::kSetsockopt:
            out += r.socket + ", " + std::string(SockOptName(a.option)) + ", ";
            out += a.option == SockOpt::kLinger ? "{" + std::to_string(a.value) + ", " +
                                                      std::to_string(a.linger_seconds) + "}"
                                                : std::to_string(a.value);
            break;
        case CallKind::kFcntl:
            out += r.socket + (a.nonblocking ? ", F_SETFL, O_NONBLOCK" : ", F_SETFL, 0");
            break;
        case CallKind::kBind:
        case CallKind::kConnect:
            out += r.socket + ", " + FormatAddress(a.address);
            break;
        case CallKind::kListen:
            out += r.socket + ", " + std::to_string(a.backlog);
            break;
        case CallKind::kSend:
        case CallKind::kWrite:
            out += r.socket + ", " + QuoteC(a.data) + ", " + std::to_string(a.data.size());
            break;
        case CallKind::kSendto:
            out += r.socket + ", " + QuoteC(a.data) + ", " + std::to_string(a.data.size()) + ", " +
                   FormatAddress(a.address);
            break;
        case CallKind::kRecv:
        case CallKind::kRead:
        case CallKind::kRecvfrom:
            out += r.socket + ", buf, " + std::to_string(a.size);
            break;
        case CallKind::kShutdown:
            out += r.socket + ", " + std::string(ShutHowName(a.how));
            break;
        case CallKind::kPoll: {
            out += "{";
            for (size_t i = 0; i < a.poll_sockets.size(); ++i) {
                if (i) out += ", ";
                out += a.poll_sockets[i];
            }
            out += "}, ";
            for (size_t i = 0; i < a.poll_events.size(); ++i) {
                if (i) out += "|";
                out += a.poll_events[i];
            }
            out += ", " + std::to_string(a.timeout_ms);
            break;
        }
        case CallKind::kAccept:
        case CallKind::kClose:
        case CallKind::kGetsockname:
        case CallKind::kGetpeername:
        case CallKind::kCount:
            out += r.socket;
            break;
    }
    return out + ")";
}

}  // namespace sockstep::core
