// The event log as JSON Lines: writing one event per line, and reading a saved log back with
// every field checked. The reader takes hostile files (truncated, binary, deeply nested, huge
// numbers) without throwing, crashing or allocating beyond the 1 MiB line limit.
// Schema and encoding decisions: docs/TRACE_FORMAT.md.
#include "sockstep/core/trace_json.h"

#include <arpa/inet.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <new>
#include <nlohmann/json.hpp>
#include <streambuf>
#include <string_view>
#include <utility>

#include "sockstep/core/address.h"
#include "sockstep/core/api_state.h"
#include "sockstep/core/call.h"
#include "sockstep/core/snapshot.h"
#include "sockstep/core/tcp_state.h"
#include "sockstep/core/terminal_text.h"

namespace sockstep::core {
namespace {

// Reading uses std::map objects: ordered_json looks keys up linearly, so a hostile line with a
// hundred thousand keys would take quadratic time. Writing keeps schema order for human readers.
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr size_t kMaxLineBytes = size_t{1} << 20;
// The schema nests three levels deep; the margin is for future fields. Checked before parsing
// because nothing else in nlohmann bounds the depth.
constexpr int kMaxDepth = 16;
constexpr int kIntMin = std::numeric_limits<int>::min();
constexpr int kIntMax = std::numeric_limits<int>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

std::string Dump(const OrderedJson& value) {
    // replace: a name that is not UTF-8 must not make writing throw; byte fields that need to be
    // exact carry a *_base64 twin (see PutBytes).
    return value.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

// ---- UTF-8 and base64 -------------------------------------------------------------------------

// Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), the same
// rule nlohmann applies, so "valid" here means "dumped unchanged" there. Returns the offset of
// the first bad byte, or npos.
size_t FirstInvalidUtf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c == 0xE0) {
            length = 3;
            low = 0xA0;
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
            length = 3;
        } else if (c == 0xED) {
            length = 3;
            high = 0x9F;
        } else if (c == 0xF0) {
            length = 4;
            low = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            length = 4;
        } else if (c == 0xF4) {
            length = 4;
            high = 0x8F;
        } else {
            return i;
        }
        if (s.size() - i < length) return i;
        const auto second = static_cast<unsigned char>(s[i + 1]);
        if (second < low || second > high) return i;
        for (size_t k = 2; k < length; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
        }
        i += length;
    }
    return std::string_view::npos;
}

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64Encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const uint32_t n = (static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
                           (static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                           static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
        out += kBase64Alphabet[(n >> 18) & 63];
        out += kBase64Alphabet[(n >> 12) & 63];
        out += kBase64Alphabet[(n >> 6) & 63];
        out += kBase64Alphabet[n & 63];
    }
    const size_t rest = bytes.size() - i;
    if (rest > 0) {
        uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += kBase64Alphabet[(n >> 18) & 63];
        out += kBase64Alphabet[(n >> 12) & 63];
        out += rest == 2 ? kBase64Alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// Strict: padded, standard alphabet, no whitespace, unused bits zero (so that every byte string
// has exactly one spelling).
std::optional<std::string> Base64Decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    auto value = [](char c) -> int {
        const size_t pos = kBase64Alphabet.find(c);
        return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
    };
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        const size_t pad = !last ? 0 : text[i + 3] != '=' ? 0 : text[i + 2] != '=' ? 1 : 2;
        uint32_t n = 0;
        for (size_t k = 0; k < 4; ++k) {
            if (k >= 4 - pad) {
                n <<= 6;
                continue;
            }
            const int v = value(text[i + k]);
            if (v < 0) return std::nullopt;
            n = (n << 6) | static_cast<uint32_t>(v);
        }
        if (pad == 2 && (n & 0xFFFF) != 0) return std::nullopt;
        if (pad == 1 && (n & 0xFF) != 0) return std::nullopt;
        out += static_cast<char>((n >> 16) & 0xFF);
        if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
        if (pad < 1) out += static_cast<char>(n & 0xFF);
    }
    return out;
}

// ---- writing ----------------------------------------------------------------------------------

// Bytes of data are usually text and should read as text; when they are not UTF-8 the readable
// `key` has U+FFFD in place of the bad bytes and `key_base64` holds the exact bytes.
void PutBytes(OrderedJson& object, const std::string& key, const std::string& bytes) {
    object[key] = bytes;
    if (FirstInvalidUtf8(bytes) != std::string_view::npos) {
        object[key + "_base64"] = Base64Encode(bytes);
    }
}

// ErrnoName spells errnos outside its table "E<n>", which ParseErrnoName reads back.
OrderedJson ErrnoJson(int err) {
    if (err == 0) return nullptr;
    return ErrnoName(err);
}

OrderedJson EndpointJson(const std::optional<Endpoint>& endpoint) {
    if (!endpoint) return nullptr;
    return FormatEndpoint(*endpoint);
}

OrderedJson AddressJson(const Address& address) {
    OrderedJson out = OrderedJson::object();
    out["host"] = address.host;
    out["port"] = address.port;
    out["peer"] = address.peer;
    return out;
}

OrderedJson ArgsJson(const CallRequest& request) {
    const CallArgs& a = request.args;
    OrderedJson out = OrderedJson::object();
    switch (request.call) {
        case CallKind::kSocket:
            out["family"] = FamilyName(a.family);
            out["type"] = SockTypeName(a.type);
            break;
        case CallKind::kSetsockopt:
            out["option"] = SockOptName(a.option);
            out["value"] = a.value;
            if (a.option == SockOpt::kLinger) out["linger_seconds"] = a.linger_seconds;
            break;
        case CallKind::kFcntl:
            out["nonblocking"] = a.nonblocking;
            break;
        case CallKind::kBind:
        case CallKind::kConnect:
            out["address"] = AddressJson(a.address);
            break;
        case CallKind::kListen:
            out["backlog"] = a.backlog;
            break;
        case CallKind::kSend:
        case CallKind::kWrite:
            PutBytes(out, "data", a.data);
            break;
        case CallKind::kSendto:
            PutBytes(out, "data", a.data);
            out["address"] = AddressJson(a.address);
            break;
        case CallKind::kRecv:
        case CallKind::kRead:
        case CallKind::kRecvfrom:
            out["size"] = a.size;
            break;
        case CallKind::kShutdown:
            out["how"] = ShutHowName(a.how);
            break;
        case CallKind::kPoll:
            out["sockets"] = a.poll_sockets;
            out["events"] = a.poll_events;
            out["timeout_ms"] = a.timeout_ms;
            break;
        case CallKind::kAccept:
        case CallKind::kClose:
        case CallKind::kGetsockname:
        case CallKind::kGetpeername:
        case CallKind::kCount:
            break;
    }
    return out;
}

OrderedJson SocketJson(const SocketView& s) {
    OrderedJson out = OrderedJson::object();
    out["id"] = s.id;
    out["name"] = s.name;
    out["fd"] = s.fd;
    out["actor"] = s.actor;
    out["owner"] = OwnerName(s.owner);
    out["family"] = FamilyName(s.family);
    out["type"] = SockTypeName(s.type);
    out["local"] = EndpointJson(s.local);
    out["remote"] = EndpointJson(s.remote);
    out["api_state"] = ApiStateName(s.api_state);
    out["tcp_state"] = s.tcp_state ? OrderedJson(TcpStateName(*s.tcp_state)) : OrderedJson(nullptr);
    out["accept_queue"] = s.accept_queue;
    out["backlog"] = s.backlog;
    out["inq"] = s.inq;
    out["outq"] = s.outq;
    out["timer_ms"] = s.timer_ms;
    out["retransmits"] = s.retransmits;
    out["inode"] = s.inode;
    return out;
}

OrderedJson PacketJson(const Packet& p) {
    OrderedJson out = OrderedJson::object();
    const bool v6 = p.src.family == Family::kInet6;
    out["transport"] = p.transport == Transport::kTcp   ? "TCP"
                       : p.transport == Transport::kUdp ? "UDP"
                       : v6                             ? "ICMPv6"
                                                        : "ICMP";
    out["src"] = FormatEndpoint(p.src);
    out["dst"] = FormatEndpoint(p.dst);
    out["flags"] = TcpFlagsText(p.flags, "|");
    out["seq"] = p.seq;
    out["ack"] = p.ack;
    out["rel_seq"] = p.rel_seq;
    out["rel_ack"] = p.rel_ack;
    out["window"] = p.window;
    out["length"] = p.length;
    if (p.icmp) {
        // Only in ICMP packets, so that the TCP and UDP lines of a log are as before.
        OrderedJson icmp = OrderedJson::object();
        icmp["type"] = p.icmp->type;
        icmp["code"] = p.icmp->code;
        icmp["quoted"] = p.icmp->quoted == Transport::kTcp ? "TCP" : "UDP";
        icmp["quoted_src"] = FormatEndpoint(p.icmp->quoted_src);
        icmp["quoted_dst"] = FormatEndpoint(p.icmp->quoted_dst);
        out["icmp"] = std::move(icmp);
    }
    return out;
}

bool HasReturnValue(Phase phase) {
    return phase == Phase::kReturn || phase == Phase::kInterrupted;
}

// ---- reading ----------------------------------------------------------------------------------

// Thrown inside one line's decoding and caught in ReadJsonLines; never leaves this file.
struct FieldError {
    std::string message;
};

[[noreturn]] void Fail(const std::string& field, const std::string& what) {
    throw FieldError{"field '" + field + "': " + what};
}

// A short rendering of a bad value: quoted strings (cut), numbers, never a whole object.
std::string Describe(const Json& value) {
    switch (value.type()) {
        case Json::value_t::null:
            return "null";
        case Json::value_t::object:
            return "an object";
        case Json::value_t::array:
            return "an array";
        case Json::value_t::binary:
            return "binary data";
        case Json::value_t::string: {
            const auto& text = value.get_ref<const std::string&>();
            const std::string cut = CutUtf8(text, kMaxShownBytes);
            // The dump escapes C0 controls; TerminalSafe also the C1 and bidirectional ones.
            return TerminalSafe(Json(cut).dump(-1, ' ', false, Json::error_handler_t::replace),
                                std::string::npos) +
                   (cut.size() < text.size() ? "…" : "");
        }
        case Json::value_t::number_float:
            if (!std::isfinite(value.get<double>())) return "a number out of range";
            return value.dump();
        case Json::value_t::boolean:
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::discarded:
            break;
    }
    return value.dump();
}

[[noreturn]] void FailType(const std::string& field, const std::string& expected, const Json& got) {
    Fail(field, "expected " + expected + ", got " + Describe(got));
}

int64_t ReadInt(const Json& v, const std::string& field, int64_t low, int64_t high) {
    auto fail_range = [&] {
        FailType(field, "an integer from " + std::to_string(low) + " to " + std::to_string(high),
                 v);
    };
    if (v.is_number_unsigned()) {
        const auto u = v.get<uint64_t>();
        if (high < 0 || u > static_cast<uint64_t>(high)) fail_range();
        const auto i = static_cast<int64_t>(u);
        if (i < low) fail_range();
        return i;
    }
    if (v.is_number_integer()) {
        const auto i = v.get<int64_t>();
        if (i < low || i > high) fail_range();
        return i;
    }
    FailType(field, "an integer", v);
}

uint64_t ReadUInt64(const Json& v, const std::string& field) {
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_number_integer()) {
        FailType(field, "an integer from 0 to " + std::to_string(UINT64_MAX), v);
    }
    FailType(field, "a non-negative integer", v);
}

const std::string& ReadString(const Json& v, const std::string& field) {
    if (!v.is_string()) FailType(field, "a string", v);
    return v.get_ref<const std::string&>();
}

// Parses an enum by name; `choices()` lists the accepted names, built only for the message.
template <typename Enum, typename Parser, typename ChoicesFn>
Enum ReadEnum(const Json& v, const std::string& field, Parser parse, ChoicesFn choices) {
    if (v.is_string()) {
        if (const std::optional<Enum> parsed = parse(v.get_ref<const std::string&>())) {
            return *parsed;
        }
    }
    Fail(field, "expected one of " + std::string(choices()) + ", got " + Describe(v));
}

template <typename Enum, typename NameOf>
std::string Choices(int first, int end, NameOf name_of) {
    std::string out;
    for (int i = first; i < end; ++i) {
        if (i > first) out += ", ";
        out += name_of(static_cast<Enum>(i));
    }
    return out;
}

std::optional<Owner> ParseOwner(std::string_view name) {
    // snapshot.h declares no ParseOwner; the three names are looked up through OwnerName.
    for (Owner owner : {Owner::kActor, Owner::kKernel, Owner::kExternal}) {
        if (OwnerName(owner) == name) return owner;
    }
    return std::nullopt;
}

// "ECONNREFUSED" (any name ErrnoName knows, or EWOULDBLOCK) or "E<n>" as the writer spells an
// errno outside the table. Returns nullopt for anything else.
std::optional<int> ParseErrnoText(std::string_view text) {
    if (std::optional<int> known = ParseErrnoName(text)) return known;
    if (text.size() < 2 || text.size() > 12 || text[0] != 'E') return std::nullopt;
    size_t i = 1;
    const bool negative = text[i] == '-';
    if (negative) ++i;
    if (i == text.size()) return std::nullopt;
    int64_t n = 0;
    for (; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        n = n * 10 + (text[i] - '0');
        if (n > kIntMax) return std::nullopt;
    }
    if (n == 0) return std::nullopt;
    return static_cast<int>(negative ? -n : n);
}

int ReadErrno(const Json& v, const std::string& field) {
    if (v.is_null()) return 0;
    if (v.is_string()) {
        if (std::optional<int> err = ParseErrnoText(v.get_ref<const std::string&>())) return *err;
    }
    FailType(field, "an errno name such as \"ECONNREFUSED\" or \"E<n>\", or null", v);
}

// "127.0.0.1:5000" or "[::1]:5000", exactly as FormatEndpoint writes them, numeric hosts only.
std::optional<Endpoint> ParseEndpoint(std::string_view text) {
    Endpoint endpoint;
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        const size_t close = text.find("]:");
        if (close == std::string_view::npos) return std::nullopt;
        endpoint.family = Family::kInet6;
        endpoint.host = std::string(text.substr(1, close - 1));
        port_text = text.substr(close + 2);
        in6_addr parsed{};
        if (inet_pton(AF_INET6, endpoint.host.c_str(), &parsed) != 1) return std::nullopt;
    } else {
        const size_t colon = text.rfind(':');
        if (colon == std::string_view::npos) return std::nullopt;
        endpoint.family = Family::kInet;
        endpoint.host = std::string(text.substr(0, colon));
        port_text = text.substr(colon + 1);
        in_addr parsed{};
        if (inet_pton(AF_INET, endpoint.host.c_str(), &parsed) != 1) return std::nullopt;
    }
    if (port_text.empty() || port_text.size() > 5) return std::nullopt;
    uint32_t port = 0;
    for (char c : port_text) {
        if (c < '0' || c > '9') return std::nullopt;
        port = port * 10 + static_cast<uint32_t>(c - '0');
    }
    if (port > 65535) return std::nullopt;
    endpoint.port = static_cast<uint16_t>(port);
    return endpoint;
}

std::optional<Endpoint> ReadEndpoint(const Json& v, const std::string& field) {
    if (v.is_null()) return std::nullopt;
    if (v.is_string()) {
        if (std::optional<Endpoint> endpoint = ParseEndpoint(v.get_ref<const std::string&>())) {
            return endpoint;
        }
    }
    FailType(field, "null or an endpoint such as \"127.0.0.1:5000\" or \"[::1]:5000\"", v);
}

// One JSON object of the log, with the dotted path of its fields for messages.
class Fields {
  public:
    Fields(const Json& object, std::string path) : m_object(object), m_path(std::move(path)) {}

    std::string Path(const std::string& key) const {
        return m_path.empty() ? key : m_path + "." + key;
    }
    const Json* Find(const std::string& key) const {
        const auto it = m_object.find(key);
        return it == m_object.end() ? nullptr : &*it;
    }
    const Json& Get(const std::string& key) const {
        const Json* v = Find(key);
        if (v == nullptr) Fail(Path(key), "missing");
        return *v;
    }
    int Int(const std::string& key, int low = kIntMin, int high = kIntMax) const {
        return static_cast<int>(ReadInt(Get(key), Path(key), low, high));
    }
    int64_t Int64(const std::string& key, int64_t low = kInt64Min, int64_t high = kInt64Max) const {
        return ReadInt(Get(key), Path(key), low, high);
    }
    uint64_t UInt64(const std::string& key) const { return ReadUInt64(Get(key), Path(key)); }
    bool Bool(const std::string& key) const {
        const Json& v = Get(key);
        if (!v.is_boolean()) FailType(Path(key), "true or false", v);
        return v.get<bool>();
    }
    std::string String(const std::string& key) const { return ReadString(Get(key), Path(key)); }
    // A string field that may be absent; derived fields (text, errno_message) may also be null.
    std::string OptionalString(const std::string& key, bool null_ok = false) const {
        const Json* v = Find(key);
        if (v == nullptr || (null_ok && v->is_null())) return {};
        return ReadString(*v, Path(key));
    }
    // The exact bytes: `key_base64` when present, else the text of `key`.
    std::string Bytes(const std::string& key) const {
        std::string text = String(key);
        const std::string b64_key = key + "_base64";
        if (const Json* b64 = Find(b64_key)) {
            std::optional<std::string> bytes = Base64Decode(ReadString(*b64, Path(b64_key)));
            if (!bytes) FailType(Path(b64_key), "padded standard base64", *b64);
            return std::move(*bytes);
        }
        return text;
    }
    Fields Object(const std::string& key) const {
        const Json& v = Get(key);
        if (!v.is_object()) FailType(Path(key), "an object", v);
        return Fields(v, Path(key));
    }
    // nullopt for null.
    std::optional<Fields> NullableObject(const std::string& key) const {
        const Json& v = Get(key);
        if (v.is_null()) return std::nullopt;
        if (!v.is_object()) FailType(Path(key), "null or an object", v);
        return Fields(v, Path(key));
    }
    const Json& Array(const std::string& key) const {
        const Json& v = Get(key);
        if (!v.is_array()) FailType(Path(key), "an array", v);
        return v;
    }
    std::vector<std::string> Strings(const std::string& key) const {
        const Json& array = Array(key);
        std::vector<std::string> out;
        out.reserve(array.size());
        for (size_t i = 0; i < array.size(); ++i) {
            out.push_back(ReadString(array[i], Path(key) + "[" + std::to_string(i) + "]"));
        }
        return out;
    }
    template <typename Enum, typename Parser, typename ChoicesFn>
    Enum Enumerated(const std::string& key, Parser parse, ChoicesFn choices) const {
        return ReadEnum<Enum>(Get(key), Path(key), parse, choices);
    }

  private:
    const Json& m_object;
    std::string m_path;
};

std::string CallChoices() {
    return Choices<CallKind>(0, static_cast<int>(CallKind::kCount),
                             [](CallKind c) { return CallName(c); });
}
std::string PhaseChoices() {
    return Choices<Phase>(0, static_cast<int>(Phase::kKernel) + 1,
                          [](Phase p) { return PhaseName(p); });
}
std::string ApiStateChoices() {
    return Choices<ApiState>(0, static_cast<int>(ApiState::kCount),
                             [](ApiState s) { return ApiStateName(s); });
}
std::string TcpStateChoices() {
    // The 11 RFC 9293 states; Linux's NEW_SYN_RECV is written as SYN-RECV.
    return Choices<TcpState>(static_cast<int>(TcpState::kEstablished),
                             static_cast<int>(TcpState::kClosing) + 1,
                             [](TcpState s) { return TcpStateName(s); }) +
           ", or null";
}
std::string OwnerChoices() {
    return Choices<Owner>(0, static_cast<int>(Owner::kExternal) + 1,
                          [](Owner o) { return OwnerName(o); });
}
std::string SockOptChoices() {
    return Choices<SockOpt>(0, static_cast<int>(SockOpt::kCount),
                            [](SockOpt o) { return SockOptName(o); });
}
std::string FamilyChoices() {
    return "AF_INET, AF_INET6";
}
std::string SockTypeChoices() {
    return "SOCK_STREAM, SOCK_DGRAM";
}
std::string ShutHowChoices() {
    return "SHUT_RD, SHUT_WR, SHUT_RDWR";
}

Address ReadAddress(const Fields& args) {
    const Fields f = args.Object("address");
    Address address;
    address.host = f.String("host");
    address.port = static_cast<uint16_t>(f.Int("port", 0, 65535));
    address.peer = f.String("peer");
    return address;
}

// Only the fields of the call are read; the others keep CallArgs' defaults, as when the call was
// made.
CallArgs ReadArgs(const Fields& f, CallKind call) {
    CallArgs a;
    switch (call) {
        case CallKind::kSocket:
            a.family = f.Enumerated<Family>("family", ParseFamily, FamilyChoices);
            a.type = f.Enumerated<SockType>("type", ParseSockType, SockTypeChoices);
            break;
        case CallKind::kSetsockopt:
            a.option = f.Enumerated<SockOpt>("option", ParseSockOpt, SockOptChoices);
            a.value = f.Int("value");
            if (a.option == SockOpt::kLinger) a.linger_seconds = f.Int("linger_seconds");
            break;
        case CallKind::kFcntl:
            a.nonblocking = f.Bool("nonblocking");
            break;
        case CallKind::kBind:
        case CallKind::kConnect:
            a.address = ReadAddress(f);
            break;
        case CallKind::kListen:
            a.backlog = f.Int("backlog");
            break;
        case CallKind::kSend:
        case CallKind::kWrite:
            a.data = f.Bytes("data");
            break;
        case CallKind::kSendto:
            a.data = f.Bytes("data");
            a.address = ReadAddress(f);
            break;
        case CallKind::kRecv:
        case CallKind::kRead:
        case CallKind::kRecvfrom:
            a.size = f.Int("size");
            break;
        case CallKind::kShutdown:
            a.how = f.Enumerated<ShutHow>("how", ParseShutHow, ShutHowChoices);
            break;
        case CallKind::kPoll:
            a.poll_sockets = f.Strings("sockets");
            a.poll_events = f.Strings("events");
            a.timeout_ms = f.Int("timeout_ms");
            break;
        case CallKind::kAccept:
        case CallKind::kClose:
        case CallKind::kGetsockname:
        case CallKind::kGetpeername:
        case CallKind::kCount:
            break;
    }
    return a;
}

Prediction ReadPrediction(const Fields& f) {
    Prediction p;
    p.known = f.Bool("known");
    p.result = ReadErrno(f.Get("errno"), f.Path("errno"));
    p.next = f.Enumerated<ApiState>("next", ParseApiState, ApiStateChoices);
    p.may_block = f.Bool("may_block");
    p.why = f.String("why");
    p.depends = f.OptionalString("depends");  // absent in logs written before it existed
    return p;
}

SocketView ReadSocket(const Fields& f) {
    SocketView s;
    s.id = f.Int("id", -1);
    s.name = f.String("name");
    s.fd = f.Int("fd", -1);
    s.actor = f.Int("actor", -1);
    s.owner = f.Enumerated<Owner>("owner", ParseOwner, OwnerChoices);
    s.family = f.Enumerated<Family>("family", ParseFamily, FamilyChoices);
    s.type = f.Enumerated<SockType>("type", ParseSockType, SockTypeChoices);
    s.local = ReadEndpoint(f.Get("local"), f.Path("local"));
    s.remote = ReadEndpoint(f.Get("remote"), f.Path("remote"));
    s.api_state = f.Enumerated<ApiState>("api_state", ParseApiState, ApiStateChoices);
    const Json& tcp = f.Get("tcp_state");
    if (!tcp.is_null()) {
        s.tcp_state = ReadEnum<TcpState>(tcp, f.Path("tcp_state"), ParseTcpState, TcpStateChoices);
    }
    s.accept_queue = f.Int("accept_queue", -1);
    s.backlog = f.Int("backlog", -1);
    s.inq = f.Int("inq", -1);
    s.outq = f.Int("outq", -1);
    s.timer_ms = f.Int("timer_ms", -1);
    s.retransmits = f.Int("retransmits", -1);
    s.inode = f.UInt64("inode");
    return s;
}

Packet ReadPacket(const Fields& f) {
    Packet p;
    const std::string& transport = f.String("transport");
    if (transport == "TCP") {
        p.transport = Transport::kTcp;
    } else if (transport == "UDP") {
        p.transport = Transport::kUdp;
    } else if (transport == "ICMP" || transport == "ICMPv6") {
        p.transport = Transport::kIcmp;
    } else {
        FailType(f.Path("transport"), "\"TCP\", \"UDP\", \"ICMP\" or \"ICMPv6\"",
                 f.Get("transport"));
    }
    auto endpoint = [](const Fields& in, const char* key) {
        std::optional<Endpoint> e = ReadEndpoint(in.Get(key), in.Path(key));
        if (!e) FailType(in.Path(key), "an endpoint such as \"127.0.0.1:5000\"", in.Get(key));
        return std::move(*e);
    };
    p.src = endpoint(f, "src");
    p.dst = endpoint(f, "dst");
    if (p.transport == Transport::kIcmp) {
        // ICMP travels over IPv4, ICMPv6 over IPv6, and an error quotes a datagram of its own
        // IP version.
        const Family family = transport == "ICMPv6" ? Family::kInet6 : Family::kInet;
        const char* expected = family == Family::kInet6 ? "an IPv6 address, as ICMPv6 travels"
                                                        : "an IPv4 address, as ICMP travels";
        if (p.src.family != family) Fail(f.Path("src"), expected);
        if (p.dst.family != family) Fail(f.Path("dst"), expected);
        const Fields icmp = f.Object("icmp");
        IcmpError error;
        error.type = static_cast<uint8_t>(ReadInt(icmp.Get("type"), icmp.Path("type"), 0, 255));
        error.code = static_cast<uint8_t>(ReadInt(icmp.Get("code"), icmp.Path("code"), 0, 255));
        const std::string& quoted = icmp.String("quoted");
        if (quoted == "TCP") {
            error.quoted = Transport::kTcp;
        } else if (quoted == "UDP") {
            error.quoted = Transport::kUdp;
        } else {
            FailType(icmp.Path("quoted"), "\"TCP\" or \"UDP\"", icmp.Get("quoted"));
        }
        error.quoted_src = endpoint(icmp, "quoted_src");
        error.quoted_dst = endpoint(icmp, "quoted_dst");
        if (error.quoted_src.family != family) Fail(icmp.Path("quoted_src"), expected);
        if (error.quoted_dst.family != family) Fail(icmp.Path("quoted_dst"), expected);
        p.icmp = std::move(error);
    } else if (const Json* icmp = f.Find("icmp"); icmp != nullptr && !icmp->is_null()) {
        Fail(f.Path("icmp"), "only an ICMP or ICMPv6 packet carries an ICMP error");
    }
    const std::optional<uint8_t> flags = ParseTcpFlags(f.String("flags"));
    if (!flags) {
        FailType(f.Path("flags"), "TCP flag names joined by '|' such as \"SYN|ACK\", or \"\"",
                 f.Get("flags"));
    }
    p.flags = *flags;
    auto u32 = [&](const char* key) {
        return static_cast<uint32_t>(ReadInt(f.Get(key), f.Path(key), 0, UINT32_MAX));
    };
    p.seq = u32("seq");
    p.ack = u32("ack");
    p.rel_seq = u32("rel_seq");
    p.rel_ack = u32("rel_ack");
    p.window = static_cast<uint32_t>(ReadInt(f.Get("window"), f.Path("window"), 0, 65535));
    p.length = u32("length");
    if (p.transport != Transport::kTcp && (p.flags != 0 || p.seq != 0 || p.ack != 0 ||
                                           p.rel_seq != 0 || p.rel_ack != 0 || p.window != 0)) {
        Fail(f.Path("transport"),
             p.transport == Transport::kUdp
                 ? "a UDP datagram has no TCP flags, sequence numbers or window"
                 : "an ICMP error has no TCP flags, sequence numbers or window");
    }
    return p;
}

Event ReadEvent(const Json& object) {
    const Fields f(object, "");
    const Json& version = f.Get("v");
    if (!version.is_number_integer() || version != kTraceFormatVersion) {
        Fail("v", "this build reads format version " + std::to_string(kTraceFormatVersion) +
                      ", got " + Describe(version));
    }
    Event e;
    e.seq = f.UInt64("seq");
    // Times are subtracted from each other by the window (how long a call has waited).
    e.t_us = f.Int64("t_us", 0, kMaxEventMicros);
    e.actor_name = f.String("actor");
    e.actor = f.Int("actor_index", -1, kMaxEventActor);
    e.step = f.Int("step", -1, kMaxEventStep);
    e.fd = f.Int("fd", -1);
    e.request.socket = f.String("socket");
    e.socket_id = f.Int("socket_id", -1);
    e.phase = f.Enumerated<Phase>("phase", ParsePhase, PhaseChoices);
    // Packet events only (absent in logs written before capture existed).
    if (const Json* cause = f.Find("cause_seq")) {
        e.cause_seq = ReadInt(*cause, "cause_seq", -1, kInt64Max);
    }
    if (e.cause_seq >= 0 && static_cast<uint64_t>(e.cause_seq) >= e.seq) {
        Fail("cause_seq", std::to_string(e.cause_seq) + " is not an earlier event than seq " +
                              std::to_string(e.seq));
    }
    if (e.phase != Phase::kPacket && e.cause_seq != -1) {
        Fail("cause_seq", "only a \"packet\" event has a cause; expected -1 or no field");
    }
    if (const Json* packet = f.Find("packet"); packet != nullptr && !packet->is_null()) {
        if (e.phase != Phase::kPacket) {
            Fail("packet", "only a \"packet\" event carries a packet; expected null or no field");
        }
        if (!packet->is_object()) FailType("packet", "an object", *packet);
        e.packet = ReadPacket(Fields(*packet, "packet"));
    } else if (e.phase == Phase::kPacket) {
        Fail("packet", "missing (a \"packet\" event carries the captured packet)");
    }
    const Json& call = f.Get("call");
    if (e.phase == Phase::kKernel && !call.is_null()) {
        Fail("call", "a \"kernel\" event happened with no call running; expected null");
    }
    if ((e.phase == Phase::kPacket && e.cause_seq == -1 && call.is_null()) ||
        e.phase == Phase::kKernel) {
        // A packet the kernel sent on its own, or a change it made: no call caused it.
        (void)f.Object("args");
    } else {
        e.request.call = f.Enumerated<CallKind>("call", ParseCallName, CallChoices);
        e.request.args = ReadArgs(f.Object("args"), e.request.call);
    }
    e.request.result = f.OptionalString("result");
    (void)f.OptionalString("text");  // derived from the call: checked, not stored
    const Json& ret = f.Get("ret");
    if (HasReturnValue(e.phase)) {
        e.ret = ReadInt(ret, "ret", kInt64Min, kInt64Max);
    } else if (!ret.is_null()) {
        FailType("ret",
                 "null (phase \"" + std::string(PhaseName(e.phase)) + "\" has no return value)",
                 ret);
    }
    e.err = ReadErrno(f.Get("errno"), "errno");
    (void)f.OptionalString("errno_message", true);  // derived from errno
    e.duration_us = f.Int64("duration_us", 0, kMaxEventMicros);
    e.predicted = ReadPrediction(f.Object("predicted"));
    e.mismatch = f.Bool("mismatch");
    if (std::optional<Fields> b = f.NullableObject("blocked")) {
        BlockEvidence evidence;
        evidence.syscall_nr = static_cast<long>(b->Int64("syscall_nr"));
        evidence.syscall = b->String("syscall");
        evidence.fd_arg = static_cast<long>(b->Int64("fd"));
        evidence.wchan = b->String("wchan");
        e.blocked = std::move(evidence);
    }
    e.result_socket_id = f.Int("result_socket_id", -1);
    e.data = f.Bytes("data");
    e.peer = ReadEndpoint(f.Get("peer"), "peer");
    e.message = f.String("message");
    const Json& sockets = f.Array("sockets");
    e.sockets.reserve(sockets.size());
    for (size_t i = 0; i < sockets.size(); ++i) {
        const std::string path = "sockets[" + std::to_string(i) + "]";
        if (!sockets[i].is_object()) FailType(path, "an object", sockets[i]);
        e.sockets.push_back(ReadSocket(Fields(sockets[i], path)));
    }
    return e;
}

// Checks what nlohmann does not bound or reports badly, before it parses: NUL bytes, invalid
// UTF-8 (named with its offset) and nesting depth (counted on brackets outside strings).
std::optional<std::string> PreScan(std::string_view line) {
    if (const size_t nul = line.find('\0'); nul != std::string_view::npos) {
        return "NUL byte at column " + std::to_string(nul + 1);
    }
    if (const size_t bad = FirstInvalidUtf8(line); bad != std::string_view::npos) {
        return "invalid UTF-8 at column " + std::to_string(bad + 1);
    }
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) {
                return "nested deeper than " + std::to_string(kMaxDepth) + " levels at column " +
                       std::to_string(i + 1);
            }
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return std::nullopt;
}

// Only run after a failed DOM parse, to get nlohmann's description of what is wrong.
class ErrorOnlySax {
  public:
    std::string message;

    bool null() { return true; }
    bool boolean(bool) { return true; }
    bool number_integer(Json::number_integer_t) { return true; }
    bool number_unsigned(Json::number_unsigned_t) { return true; }
    bool number_float(Json::number_float_t, const Json::string_t&) { return true; }
    bool string(Json::string_t&) { return true; }
    bool binary(Json::binary_t&) { return true; }
    bool start_object(std::size_t) { return true; }
    bool key(Json::string_t&) { return true; }
    bool end_object() { return true; }
    bool start_array(std::size_t) { return true; }
    bool end_array() { return true; }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& ex) {
        // what() is "[json.exception.parse_error.101] parse error at line 1, column 5: <why>"
        // or "[json.exception.out_of_range.406] number overflow parsing '1e400'"; the line is
        // always 1 here, so keep only the reason after the column we already give.
        std::string_view what = ex.what();
        if (const size_t tag = what.find("] "); tag != std::string_view::npos) {
            what.remove_prefix(tag + 2);
        }
        if (const size_t column = what.find("column "); column != std::string_view::npos) {
            const size_t reason = what.find(": ", column);
            if (reason != std::string_view::npos) what.remove_prefix(reason + 2);
        }
        message =
            "not valid JSON at column " + std::to_string(position) + ": " + CutUtf8(what, 160);
        return false;
    }
};

std::string ParseErrorMessage(const std::string& line) {
    ErrorOnlySax sax;
    Json::sax_parse(line, &sax);
    return sax.message.empty() ? "not valid JSON" : sax.message;
}

enum class LineRead { kLine, kEnd, kTooLong };

// Reads up to '\n' without ever holding more than kMaxLineBytes: getline would grow the string
// for as long as the input has no newline.
LineRead ReadLine(std::streambuf& buffer, std::string& line) {
    line.clear();
    bool any = false;
    for (;;) {
        const int c = buffer.sbumpc();
        if (c == std::char_traits<char>::eof()) return any ? LineRead::kLine : LineRead::kEnd;
        any = true;
        if (c == '\n') return LineRead::kLine;
        if (line.size() == kMaxLineBytes) return LineRead::kTooLong;
        line.push_back(static_cast<char>(c));
    }
}

bool IsBlank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

std::string EventToJsonLine(const Event& e) {
    OrderedJson j = OrderedJson::object();
    j["v"] = kTraceFormatVersion;
    j["seq"] = e.seq;
    j["t_us"] = e.t_us;
    j["actor"] = e.actor_name;
    j["actor_index"] = e.actor;
    j["step"] = e.step;
    j["fd"] = e.fd;
    j["socket"] = e.request.socket;
    j["socket_id"] = e.socket_id;
    // A packet no call caused (cause_seq -1) and a kernel event have no call to name.
    const bool uncaused =
        (e.phase == Phase::kPacket && e.cause_seq < 0) || e.phase == Phase::kKernel;
    j["call"] = uncaused ? OrderedJson(nullptr) : OrderedJson(CallName(e.request.call));
    j["args"] = uncaused ? OrderedJson::object() : ArgsJson(e.request);
    if (!e.request.result.empty()) j["result"] = e.request.result;
    j["text"] = uncaused ? std::string() : FormatCall(e.request);
    j["phase"] = PhaseName(e.phase);
    j["ret"] = HasReturnValue(e.phase) ? OrderedJson(e.ret) : OrderedJson(nullptr);
    j["errno"] = ErrnoJson(e.err);
    j["errno_message"] = e.err == 0 ? OrderedJson(nullptr) : OrderedJson(ErrnoMessage(e.err));
    j["duration_us"] = e.duration_us;
    OrderedJson predicted = OrderedJson::object();
    predicted["known"] = e.predicted.known;
    predicted["errno"] = ErrnoJson(e.predicted.result);
    predicted["next"] = ApiStateName(e.predicted.next);
    predicted["may_block"] = e.predicted.may_block;
    predicted["why"] = e.predicted.why;
    predicted["depends"] = e.predicted.depends;
    j["predicted"] = std::move(predicted);
    j["mismatch"] = e.mismatch;
    if (e.blocked) {
        OrderedJson blocked = OrderedJson::object();
        blocked["syscall_nr"] = e.blocked->syscall_nr;
        blocked["syscall"] = e.blocked->syscall;
        blocked["fd"] = e.blocked->fd_arg;
        blocked["wchan"] = e.blocked->wchan;
        j["blocked"] = std::move(blocked);
    } else {
        j["blocked"] = nullptr;
    }
    j["result_socket_id"] = e.result_socket_id;
    PutBytes(j, "data", e.data);
    j["peer"] = EndpointJson(e.peer);
    j["message"] = e.message;
    if (e.phase == Phase::kPacket) {
        j["cause_seq"] = e.cause_seq;
        j["packet"] = e.packet ? PacketJson(*e.packet) : OrderedJson(nullptr);
    }
    OrderedJson sockets = OrderedJson::array();
    for (const SocketView& s : e.sockets) sockets.push_back(SocketJson(s));
    j["sockets"] = std::move(sockets);
    return Dump(j);
}

void WriteJsonLines(const LogView& log, std::ostream& out) {
    for (size_t i = 0; i < log.size(); ++i) out << EventToJsonLine(log[i]) << '\n';
}

std::variant<std::vector<Event>, TraceError> ReadJsonLines(std::istream& in) {
    std::vector<Event> events;
    std::streambuf* buffer = in.rdbuf();
    if (buffer == nullptr || !in.good()) return TraceError{0, "cannot read the log"};
    std::string line;
    int number = 0;
    std::optional<uint64_t> last_seq;
    auto error = [&](const std::string& message) {
        return TraceError{number, "line " + std::to_string(number) + ": " + message};
    };
    try {
        for (;;) {
            const LineRead read = ReadLine(*buffer, line);
            if (read == LineRead::kEnd) break;
            ++number;
            if (read == LineRead::kTooLong) {
                return error("longer than " + std::to_string(kMaxLineBytes) + " bytes");
            }
            if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF files
            if (IsBlank(line)) continue;
            if (std::optional<std::string> problem = PreScan(line)) return error(*problem);
            const Json object = Json::parse(line, nullptr, false);
            if (object.is_discarded()) return error(ParseErrorMessage(line));
            if (!object.is_object())
                return error("expected a JSON object, got " + Describe(object));
            Event event = ReadEvent(object);
            if (last_seq && event.seq <= *last_seq) {
                return error("field 'seq': " + std::to_string(event.seq) + " does not follow " +
                             std::to_string(*last_seq) + " (seq must increase)");
            }
            last_seq = event.seq;
            events.push_back(std::move(event));
        }
    } catch (const FieldError& e) {
        return error(e.message);
    } catch (const std::bad_alloc&) {
        return error("out of memory");
    } catch (const std::exception& e) {
        // Nothing above is expected to throw anything else; if it does, it is still a bad line
        // and not a crash of the program loading it.
        return error(std::string("unreadable: ") + e.what());
    }
    return events;
}

}  // namespace sockstep::core
