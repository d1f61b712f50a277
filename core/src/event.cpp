// Event phases and errno names.
#include "sockstep/core/event.h"

#include <array>
#include <cerrno>
#include <cstring>

namespace sockstep::core {
namespace {

struct ErrnoRow {
    int value;
    std::string_view name;
};

// The errno values socket calls can give (see each wrapper in syscalls.cpp), plus the ones a
// lesson might name. ErrnoName falls back to "E<n>" for the rest.
constexpr std::array kErrnos{
    ErrnoRow{EACCES, "EACCES"},
    ErrnoRow{EADDRINUSE, "EADDRINUSE"},
    ErrnoRow{EADDRNOTAVAIL, "EADDRNOTAVAIL"},
    ErrnoRow{EAFNOSUPPORT, "EAFNOSUPPORT"},
    ErrnoRow{EAGAIN, "EAGAIN"},
    ErrnoRow{EALREADY, "EALREADY"},
    ErrnoRow{EBADF, "EBADF"},
    ErrnoRow{ECONNABORTED, "ECONNABORTED"},
    ErrnoRow{ECONNREFUSED, "ECONNREFUSED"},
    ErrnoRow{ECONNRESET, "ECONNRESET"},
    ErrnoRow{EDESTADDRREQ, "EDESTADDRREQ"},
    ErrnoRow{EFAULT, "EFAULT"},
    ErrnoRow{EHOSTUNREACH, "EHOSTUNREACH"},
    ErrnoRow{EINPROGRESS, "EINPROGRESS"},
    ErrnoRow{EINTR, "EINTR"},
    ErrnoRow{EINVAL, "EINVAL"},
    ErrnoRow{EISCONN, "EISCONN"},
    ErrnoRow{EMFILE, "EMFILE"},
    ErrnoRow{EMSGSIZE, "EMSGSIZE"},
    ErrnoRow{ENETUNREACH, "ENETUNREACH"},
    ErrnoRow{ENFILE, "ENFILE"},
    ErrnoRow{ENOBUFS, "ENOBUFS"},
    ErrnoRow{ENOMEM, "ENOMEM"},
    ErrnoRow{ENOPROTOOPT, "ENOPROTOOPT"},
    ErrnoRow{ENOTCONN, "ENOTCONN"},
    ErrnoRow{ENOTSOCK, "ENOTSOCK"},
    ErrnoRow{EOPNOTSUPP, "EOPNOTSUPP"},
    ErrnoRow{EPERM, "EPERM"},
    ErrnoRow{EPIPE, "EPIPE"},
    ErrnoRow{EPROTONOSUPPORT, "EPROTONOSUPPORT"},
    ErrnoRow{EPROTOTYPE, "EPROTOTYPE"},
    ErrnoRow{ETIMEDOUT, "ETIMEDOUT"},
    ErrnoRow{ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"},
    ErrnoRow{ENOENT, "ENOENT"},
};

constexpr std::array<std::string_view, 7> kPhases{"enter",   "blocked", "return", "interrupted",
                                                  "refused", "packet",  "kernel"};

}  // namespace

std::string_view PhaseName(Phase phase) {
    return kPhases[static_cast<size_t>(phase)];
}

std::optional<Phase> ParsePhase(std::string_view name) {
    for (size_t i = 0; i < kPhases.size(); ++i) {
        if (kPhases[i] == name) return static_cast<Phase>(i);
    }
    return std::nullopt;
}

std::string ErrnoName(int err) {
    if (err == 0) return "";
    for (const ErrnoRow& row : kErrnos) {
        if (row.value == err) return std::string(row.name);
    }
    return "E" + std::to_string(err);
}

std::optional<int> ParseErrnoName(std::string_view name) {
    for (const ErrnoRow& row : kErrnos) {
        if (row.name == name) return row.value;
    }
    if (name == "EWOULDBLOCK") return EAGAIN;
    if (name.size() > 1 && name[0] == 'E' && name.find_first_not_of("0123456789", 1) == name.npos &&
        name.size() <= 4) {
        return std::stoi(std::string(name.substr(1)));
    }
    return std::nullopt;
}

std::vector<std::string_view> KnownErrnoNames() {
    std::vector<std::string_view> names;
    for (const ErrnoRow& row : kErrnos) names.push_back(row.name);
    return names;
}

std::string ErrnoMessage(int err) {
    if (err == 0) return "Success";
    char buffer[128];
    // GNU strerror_r returns the message pointer (which may not be `buffer`).
    return strerror_r(err, buffer, sizeof buffer);
}

namespace {

constexpr std::array<std::pair<uint8_t, std::string_view>, 8> kTcpFlagNames{{
    {kTcpFin, "FIN"},
    {kTcpSyn, "SYN"},
    {kTcpRst, "RST"},
    {kTcpPsh, "PSH"},
    {kTcpAck, "ACK"},
    {kTcpUrg, "URG"},
    {0x40, "ECE"},
    {0x80, "CWR"},
}};

}  // namespace

std::string TcpFlagsText(uint8_t flags, std::string_view separator) {
    std::string out;
    for (const auto& [bit, name] : kTcpFlagNames) {
        if (flags & bit) {
            if (!out.empty()) out += separator;
            out += name;
        }
    }
    return out;
}

std::optional<uint8_t> ParseTcpFlags(std::string_view text) {
    uint8_t flags = 0;
    while (!text.empty()) {
        const size_t bar = text.find('|');
        const std::string_view name = text.substr(0, bar);
        bool known = false;
        for (const auto& [bit, flag_name] : kTcpFlagNames) {
            if (flag_name == name && !(flags & bit)) {
                flags |= bit;
                known = true;
            }
        }
        if (!known) return std::nullopt;  // unknown, repeated, or empty between bars
        if (bar == std::string_view::npos) break;
        text.remove_prefix(bar + 1);
        if (text.empty()) return std::nullopt;  // a trailing bar
    }
    return flags;
}

std::string IcmpErrorName(const Packet& p) {
    const bool v6 = p.src.family == Family::kInet6;
    if (!p.icmp) return v6 ? "ICMPv6" : "ICMP";  // no error read: no type to name
    const uint8_t type = p.icmp->type;
    const uint8_t code = p.icmp->code;
    const char* name = "error";
    if (!v6 && type == 3) {
        static constexpr const char* kCodes[] = {"net unreachable", "host unreachable",
                                                 "protocol unreachable", "port unreachable",
                                                 "fragmentation needed"};
        name = code < std::size(kCodes) ? kCodes[code] : "destination unreachable";
    } else if (!v6 && type == 11) {
        name = "time exceeded";
    } else if (!v6 && type == 12) {
        name = "parameter problem";
    } else if (v6 && type == 1) {
        static constexpr const char* kCodes[] = {"no route", "administratively prohibited",
                                                 "beyond scope of source address",
                                                 "address unreachable", "port unreachable"};
        name = code < std::size(kCodes) ? kCodes[code] : "destination unreachable";
    } else if (v6 && type == 2) {
        name = "packet too big";
    } else if (v6 && type == 3) {
        name = "time exceeded";
    } else if (v6 && type == 4) {
        name = "parameter problem";
    }
    return std::string(v6 ? "ICMPv6 " : "ICMP ") + name + " (type " + std::to_string(type) +
           " code " + std::to_string(code) + ")";
}

std::string IcmpAbout(const IcmpError& icmp) {
    return FormatEndpoint(icmp.quoted_dst) + (icmp.quoted == Transport::kTcp ? "/tcp" : "/udp");
}

std::string PacketSummary(const Packet& p) {
    if (p.transport == Transport::kUdp) return "UDP len=" + std::to_string(p.length);
    if (p.transport == Transport::kIcmp) {
        if (!p.icmp) return IcmpErrorName(p);
        return IcmpErrorName(p) + " about " + IcmpAbout(*p.icmp);
    }
    std::string out = "[" + TcpFlagsText(p.flags) + "] seq=" + std::to_string(p.rel_seq);
    if (p.flags & kTcpAck) out += " ack=" + std::to_string(p.rel_ack);
    out += " win=" + std::to_string(p.window) + " len=" + std::to_string(p.length);
    return out;
}

}  // namespace sockstep::core
