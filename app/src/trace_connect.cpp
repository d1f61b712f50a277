// `sockstep trace --connect HOST:PORT`: pointing a lesson's clients at a listener outside
// sockstep. The address is checked with the same loopback rule as every lesson address.
#include "trace_connect.h"

#include <algorithm>
#include <map>
#include <set>

namespace sockstep::app {
namespace {

using core::TcpState;

bool Expects(const core::StateExpect& s, TcpState state) {
    return s.tcp && (*s.tcp == state ||
                     std::find(s.tcp_or.begin(), s.tcp_or.end(), state) != s.tcp_or.end());
}

void AddIfPeerClosed(core::StateExpect& s, TcpState state) {
    if (Expects(s, state)) return;
    auto& more = s.tcp_if_peer_closed;
    if (std::find(more.begin(), more.end(), state) == more.end()) more.push_back(state);
}

// The states of a client socket that an outside server closing first (its FIN before this
// side's) or right after this side's FIN can cause, beside those the lesson's own server gave.
void AllowPeerClosingFirst(core::StateExpect& s) {
    if (!s.tcp) return;
    if (Expects(s, TcpState::kEstablished)) AddIfPeerClosed(s, TcpState::kCloseWait);
    if (Expects(s, TcpState::kFinWait1) || Expects(s, TcpState::kFinWait2)) {
        // Its FIN crossed ours (CLOSING), came after ours (TIME-WAIT, whose descriptor reads
        // CLOSE), or came first (LAST-ACK, then CLOSE, then nothing once the descriptor is gone).
        for (TcpState t :
             {TcpState::kClosing, TcpState::kTimeWait, TcpState::kLastAck, TcpState::kClose}) {
            AddIfPeerClosed(s, t);
        }
        s.gone_if_peer_closed = true;
    }
}

}  // namespace

std::variant<core::Endpoint, std::string> ParseConnectTarget(const std::string& text) {
    std::string host;
    std::string port_text;
    core::Family family = core::Family::kInet;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return std::string("'" + text + "' is not [HOST]:PORT, for example [::1]:8080");
        }
        host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
        family = core::Family::kInet6;
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string::npos || colon == 0) {
            return std::string("'" + text + "' is not HOST:PORT, for example 127.0.0.1:8080");
        }
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (host.find(':') != std::string::npos) {
            return std::string("write an IPv6 address in brackets, for example [::1]:8080");
        }
    }
    if (port_text.empty() || port_text.size() > 5 ||
        !std::all_of(port_text.begin(), port_text.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
        return std::string("'" + port_text + "' is not a port number (1-65535)");
    }
    const int port = std::stoi(port_text);
    if (port < 1 || port > 65535) {
        return std::string("'" + port_text + "' is not a port number (1-65535)");
    }
    const auto resolved = core::ResolveLoopback(host, static_cast<uint16_t>(port), family);
    if (const auto* error = std::get_if<core::AddressError>(&resolved)) return error->message;
    return std::get<core::ResolvedAddress>(resolved).endpoint;
}

std::variant<RetargetedLesson, std::string> PointClientsAt(const core::Lesson& lesson,
                                                           const core::Endpoint& target) {
    RetargetedLesson out;
    out.lesson.id = lesson.id;
    out.lesson.title = lesson.title;
    out.lesson.summary = lesson.summary;
    out.lesson.path = lesson.path;
    std::map<int, int> actor_map;  // old index → new index
    for (size_t a = 0; a < lesson.actors.size(); ++a) {
        if (lesson.actors[a].role != core::Role::kClient) continue;
        actor_map[static_cast<int>(a)] = static_cast<int>(out.lesson.actors.size());
        out.lesson.actors.push_back(lesson.actors[a]);
    }
    if (actor_map.empty()) {
        return std::string("the lesson '" + lesson.id + "' has no client actor to point at " +
                           core::FormatEndpoint(target));
    }
    std::set<std::string> kept_sockets;
    std::map<std::string, core::Family> families;
    for (const core::LessonStep& step : lesson.steps) {
        if (actor_map.count(step.actor) && core::CreatesSocket(step.request.call)) {
            kept_sockets.insert(step.request.result);
            families[step.request.result] = step.request.args.family;
        }
    }
    bool connects = false;
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
        const core::LessonStep& step = lesson.steps[i];
        const auto actor = actor_map.find(step.actor);
        if (actor == actor_map.end()) continue;
        core::LessonStep copy = step;
        copy.actor = actor->second;
        const core::CallKind call = step.request.call;
        if (call == core::CallKind::kConnect || call == core::CallKind::kSendto) {
            const auto family = families.find(step.request.socket);
            if (family != families.end() && family->second != target.family) {
                return std::string("the client socket '" + step.request.socket + "' is " +
                                   std::string(core::FamilyName(family->second)) + " but " +
                                   core::FormatEndpoint(target) + " is " +
                                   std::string(core::FamilyName(target.family)));
            }
            copy.request.args.address = core::Address{target.host, target.port, ""};
            connects = true;
        }
        if (copy.expect) {
            // What the lesson's own server would have sent is not what the outside program sends.
            if (call == core::CallKind::kRecv || call == core::CallKind::kRead ||
                call == core::CallKind::kRecvfrom) {
                copy.expect->data.reset();
                copy.expect->ret.reset();
            }
            for (core::StateExpect& s : copy.expect->states) {
                s.inq.reset();
                AllowPeerClosingFirst(s);
            }
            auto& states = copy.expect->states;
            states.erase(std::remove_if(states.begin(), states.end(),
                                        [&](const core::StateExpect& s) {
                                            return !kept_sockets.count(s.socket) ||
                                                   (!s.tcp && !s.api && !s.accept_queue);
                                        }),
                         states.end());
            const core::Expect& e = *copy.expect;
            if (!e.err && !e.ret && !e.data && e.states.empty()) copy.expect.reset();
        }
        out.lesson.steps.push_back(std::move(copy));
        out.numbers.push_back(static_cast<int>(i) + 1);
    }
    if (!connects) {
        return std::string("the clients of '" + lesson.id +
                           "' never call connect() or sendto(), "
                           "so there is nothing to point at " +
                           core::FormatEndpoint(target));
    }
    return out;
}

}  // namespace sockstep::app
