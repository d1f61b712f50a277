// Test helper: the hand-built log of export_sample.h.
#include "export_sample.h"

#include "test_scripts.h"

namespace sockstep::testing {
namespace {

using core::CallKind;
using core::Phase;

core::Endpoint Ep(uint16_t port) {
    return {core::Family::kInet, "127.0.0.1", port};
}

core::SocketView Listener(int queue) {
    core::SocketView v;
    v.id = 1;
    v.name = "listener";
    v.fd = 3;
    v.actor = 0;
    v.local = Ep(5000);
    v.tcp_state = core::TcpState::kListen;
    v.accept_queue = queue;
    return v;
}

core::SocketView Connection(int id, const char* name, int actor, uint16_t local, uint16_t remote) {
    core::SocketView v;
    v.id = id;
    v.name = name;
    v.fd = 4;
    v.actor = actor;
    v.local = Ep(local);
    v.remote = Ep(remote);
    v.tcp_state = core::TcpState::kEstablished;
    return v;
}

class Builder {
  public:
    explicit Builder(core::EventLog& log) : m_log(log), m_steps(HandshakeLesson().steps) {}

    void Call(int step, Phase phase, int64_t ret = 0, int err = 0, core::Snapshot s = {}) {
        const core::LessonStep& st = m_steps[static_cast<size_t>(step)];
        core::Event e;
        e.actor = st.actor;
        e.actor_name = st.actor == 0 ? "server" : "client";
        e.step = step;
        e.request = st.request;
        e.phase = phase;
        e.ret = ret;
        e.err = err;
        e.sockets = std::move(s);
        if (phase == Phase::kBlocked)
            e.blocked = core::BlockEvidence{43, "accept", 3, "inet_csk_accept"};
        if (phase == Phase::kReturn &&
            (st.request.call == CallKind::kSocket || st.request.call == CallKind::kAccept)) {
            e.result_socket_id = st.request.result == "listener" ? 1
                                 : st.request.result == "conn"   ? 3
                                                                 : 2;
        }
        if (st.request.call != CallKind::kSocket) {
            e.socket_id = st.request.socket == "listener" ? 1 : st.request.socket == "conn" ? 3 : 2;
        }
        m_log.Append(std::move(e));
    }

    void Packet(uint16_t from, uint16_t to, uint8_t flags, uint32_t length, core::Snapshot s) {
        core::Event e;
        e.phase = Phase::kPacket;
        core::Packet p;
        p.src = Ep(from);
        p.dst = Ep(to);
        p.flags = flags;
        p.rel_seq = flags & core::kTcpSyn ? 0 : 1;
        p.rel_ack = flags & core::kTcpAck ? 1 : 0;
        p.window = 65495;
        p.length = length;
        e.packet = p;
        e.sockets = std::move(s);
        m_log.Append(std::move(e));
    }

  private:
    core::EventLog& m_log;
    std::vector<core::LessonStep> m_steps;
};

}  // namespace

void FillSampleLog(core::EventLog& log) {
    Builder b(log);
    core::SocketView fresh = Listener(-1);
    fresh.local.reset();
    fresh.tcp_state = core::TcpState::kClose;
    b.Call(0, Phase::kEnter);
    b.Call(0, Phase::kReturn, 3, 0, {fresh});
    b.Call(1, Phase::kEnter, 0, 0, {fresh});
    b.Call(1, Phase::kReturn, 0, 0, {Listener(-1)});
    b.Call(2, Phase::kEnter);
    b.Call(2, Phase::kReturn, 0, 0, {Listener(0)});
    b.Call(3, Phase::kEnter, 0, 0, {Listener(0)});
    b.Call(3, Phase::kBlocked, 0, 0, {Listener(0)});
    core::SocketView client = Connection(2, "client", 1, 40000, 5000);
    client.tcp_state = core::TcpState::kClose;
    client.local.reset();
    client.remote.reset();
    b.Call(4, Phase::kEnter);
    b.Call(4, Phase::kReturn, 4, 0, {Listener(0), client});
    b.Call(5, Phase::kEnter, 0, 0, {Listener(0), client});
    const core::SocketView c = Connection(2, "client", 1, 40000, 5000);
    const core::SocketView conn = Connection(3, "conn", 0, 5000, 40000);
    b.Packet(40000, 5000, core::kTcpSyn, 0, {Listener(0), c});
    b.Packet(5000, 40000, core::kTcpSyn | core::kTcpAck, 0, {Listener(0), c});
    b.Packet(40000, 5000, core::kTcpAck, 0, {Listener(1), c});
    b.Call(3, Phase::kReturn, 5, 0, {Listener(0), c, conn});
    b.Call(5, Phase::kReturn, 0, 0, {Listener(0), c, conn});
    b.Call(6, Phase::kEnter, 0, 0, {Listener(0), c, conn});
    b.Packet(40000, 5000, core::kTcpPsh | core::kTcpAck, 5, {Listener(0), c, conn});
    b.Call(6, Phase::kReturn, 5, 0, {Listener(0), c, conn});
    // A program outside the session knocks at the listener and is reset; then a call that
    // sockstep refused, with characters Mermaid and XML treat as syntax in its message.
    b.Packet(6000, 5000, core::kTcpSyn, 0, {Listener(0), c, conn});
    b.Packet(5000, 6000, core::kTcpRst | core::kTcpAck, 0, {Listener(0), c, conn});
    core::Event refused;
    refused.actor = 1;
    refused.actor_name = "client";
    refused.step = -1;
    refused.request.call = CallKind::kConnect;
    refused.request.socket = "client";
    refused.request.args.address.host = "10.0.0.1";
    refused.phase = Phase::kRefused;
    refused.message = "10.0.0.1 is not loopback; a <b>&\"#;%% test";
    log.Append(std::move(refused));
}

std::vector<std::string> SampleCalls() {
    std::vector<std::string> out;
    const core::Lesson lesson = HandshakeLesson();
    for (size_t i = 0; i < 7; ++i) {
        out.push_back("[" + std::to_string(i + 1) + "] " +
                      core::FormatCall(lesson.steps[i].request));
    }
    return out;
}

}  // namespace sockstep::testing
