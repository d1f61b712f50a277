// The JSON Lines event log: exact round trips of hand-built events, the schema's field names and
// encodings, and a corpus of broken and hostile inputs that must be reported, never crash.
#include "sockstep/core/trace_json.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sockstep/core/api_state.h"
#include "sockstep/core/event_log.h"

namespace sockstep::core {
namespace {

using Json = nlohmann::json;

SocketView Listener() {
    SocketView s;
    s.id = 0;
    s.name = "listener";
    s.fd = 3;
    s.actor = 0;
    s.owner = Owner::kActor;
    s.local = Endpoint{Family::kInet, "127.0.0.1", 5000};
    s.api_state = ApiState::kListening;
    s.tcp_state = TcpState::kListen;
    s.accept_queue = 1;
    s.backlog = 5;
    s.inode = 123456;
    return s;
}

// A connection waiting in the accept queue: no descriptor, no name, IPv6.
SocketView QueuedInKernel() {
    SocketView s;
    s.id = 1;
    s.fd = -1;
    s.actor = -1;
    s.owner = Owner::kKernel;
    s.family = Family::kInet6;
    s.local = Endpoint{Family::kInet6, "::1", 5000};
    s.remote = Endpoint{Family::kInet6, "::1", 40000};
    s.api_state = ApiState::kNone;
    s.tcp_state = TcpState::kEstablished;
    s.inq = 0;
    s.outq = 0;
    s.inode = 0;
    return s;
}

SocketView ExternalPeer() {
    SocketView s;
    s.id = 2;
    s.owner = Owner::kExternal;
    s.remote = Endpoint{Family::kInet, "127.0.0.1", 5000};
    s.local = Endpoint{Family::kInet, "127.0.0.2", 65535};
    s.tcp_state = TcpState::kTimeWait;
    s.timer_ms = 59000;
    s.retransmits = 0;
    s.inode = UINT64_MAX;
    return s;
}

// Fresh socket: the kernel state is CLOSE or unknown; here unknown (null).
SocketView Fresh() {
    SocketView s;
    s.id = 3;
    s.name = "client";
    s.fd = 4;
    s.actor = 1;
    s.type = SockType::kDgram;
    s.api_state = ApiState::kCreated;
    return s;
}

std::string AllBytes() {
    std::string bytes;
    for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
    return bytes;
}

// The arguments of `call` that the schema writes; everything else stays at CallArgs' defaults so
// that a round trip can compare every field.
CallRequest RequestFor(CallKind call, int variant) {
    CallRequest r;
    r.call = call;
    r.socket = NeedsSocket(call) ? "listener" : "";
    CallArgs& a = r.args;
    switch (call) {
        case CallKind::kSocket:
            r.result = "listener";
            a.family = variant % 2 ? Family::kInet6 : Family::kInet;
            a.type = variant % 3 ? SockType::kStream : SockType::kDgram;
            break;
        case CallKind::kSetsockopt:
            a.option = variant % 2 ? SockOpt::kLinger : SockOpt::kTcpSyncnt;
            a.value = variant % 2 ? 1 : 2;
            if (a.option == SockOpt::kLinger) a.linger_seconds = 0;
            break;
        case CallKind::kFcntl:
            a.nonblocking = true;
            break;
        case CallKind::kBind:
            a.address = Address{"::1", 0, ""};
            break;
        case CallKind::kConnect:
            a.address = Address{"", 0, "listener"};
            break;
        case CallKind::kListen:
            a.backlog = 1;
            break;
        case CallKind::kAccept:
            r.result = "conn";
            break;
        case CallKind::kSend:
            a.data = "hello\n\"world\"\t\\";
            break;
        case CallKind::kWrite:
            a.data = AllBytes();
            break;
        case CallKind::kSendto:
            a.data = "안녕";
            a.address = Address{"127.0.0.1", 9, ""};
            break;
        case CallKind::kRecv:
        case CallKind::kRead:
        case CallKind::kRecvfrom:
            a.size = 4096 + variant;
            break;
        case CallKind::kShutdown:
            a.how = ShutHow::kRdWr;
            break;
        case CallKind::kPoll:
            a.poll_sockets = {"listener", "conn"};
            a.poll_events = {"POLLIN", "POLLOUT"};
            a.timeout_ms = -1;
            break;
        case CallKind::kClose:
        case CallKind::kGetsockname:
        case CallKind::kGetpeername:
        case CallKind::kCount:
            break;
    }
    return r;
}

// One event per call kind, cycling through the phases, plus some events that exercise the
// optional parts (blocked evidence, peers, binary data, unknown errno).
std::vector<Event> HandBuiltLog() {
    std::vector<Event> log;
    const std::string_view table_why =
        TransitionTable().empty() ? std::string_view() : TransitionTable().front().why;
    for (int i = 0; i < static_cast<int>(CallKind::kCount); ++i) {
        Event e;
        e.seq = static_cast<uint64_t>(i) * 2;  // gaps are allowed: only the order matters
        e.t_us = 1000 * i;
        e.actor = i % 2;
        e.actor_name = i % 2 ? "client" : "서버";  // non-ASCII names stay as they are
        e.step = i % 3 == 0 ? -1 : i;
        e.request = RequestFor(static_cast<CallKind>(i), i);
        e.socket_id = NeedsSocket(e.request.call) ? 0 : -1;
        e.fd = NeedsSocket(e.request.call) ? 3 : -1;
        e.phase = static_cast<Phase>(i % 5);
        if (e.phase == Phase::kReturn || e.phase == Phase::kInterrupted) {
            e.ret = e.phase == Phase::kReturn ? (i % 4 == 0 ? -1 : 7) : -1;
            e.err = e.phase == Phase::kInterrupted ? EINTR : (e.ret < 0 ? ECONNREFUSED : 0);
            e.duration_us = 42 + i;
        }
        e.predicted.known = i % 2 == 0;
        e.predicted.result = i % 4 == 0 ? EINVAL : 0;
        e.predicted.next = static_cast<ApiState>(i % static_cast<int>(ApiState::kCount));
        e.predicted.may_block = i % 3 == 0;
        e.predicted.why = table_why;
        e.mismatch = i % 5 == 2;
        if (e.phase == Phase::kBlocked) {
            e.blocked = BlockEvidence{43, "accept", 3, "inet_csk_accept"};
        }
        if (CreatesSocket(e.request.call)) e.result_socket_id = 1;
        if (e.phase == Phase::kRefused) e.message = "0.0.0.0 is not a loopback address";
        if (e.request.call == CallKind::kRecv) e.data = AllBytes();
        if (e.request.call == CallKind::kRead) e.data = "plain text";
        if (e.request.call == CallKind::kRecvfrom) e.data = std::string("\xff\xfe\x00z", 4);
        if (e.request.call == CallKind::kAccept) {
            e.peer = Endpoint{Family::kInet6, "::1", 40000};
        }
        if (e.request.call == CallKind::kRecvfrom) {
            e.peer = Endpoint{Family::kInet, "127.0.0.1", 9};
        }
        e.sockets = {Listener(), QueuedInKernel(), ExternalPeer(), Fresh()};
        log.push_back(std::move(e));
    }
    Event unknown_errno = log.back();
    unknown_errno.seq += 1;
    unknown_errno.phase = Phase::kReturn;
    unknown_errno.ret = -1;
    unknown_errno.err = 200;  // no name in the table
    unknown_errno.predicted.result = 201;
    unknown_errno.sockets.clear();
    log.push_back(std::move(unknown_errno));
    return log;
}

void ExpectSameEvent(const Event& a, const Event& b) {
    EXPECT_EQ(a.seq, b.seq);
    EXPECT_EQ(a.t_us, b.t_us);
    EXPECT_EQ(a.actor, b.actor);
    EXPECT_EQ(a.actor_name, b.actor_name);
    EXPECT_EQ(a.step, b.step);
    EXPECT_EQ(a.request.call, b.request.call);
    EXPECT_EQ(a.request.socket, b.request.socket);
    EXPECT_EQ(a.request.result, b.request.result);
    const CallArgs& x = a.request.args;
    const CallArgs& y = b.request.args;
    EXPECT_EQ(x.family, y.family);
    EXPECT_EQ(x.type, y.type);
    EXPECT_EQ(x.option, y.option);
    EXPECT_EQ(x.value, y.value);
    EXPECT_EQ(x.linger_seconds, y.linger_seconds);
    EXPECT_EQ(x.nonblocking, y.nonblocking);
    EXPECT_EQ(x.address.host, y.address.host);
    EXPECT_EQ(x.address.port, y.address.port);
    EXPECT_EQ(x.address.peer, y.address.peer);
    EXPECT_EQ(x.backlog, y.backlog);
    EXPECT_EQ(x.data, y.data);
    EXPECT_EQ(x.size, y.size);
    EXPECT_EQ(x.how, y.how);
    EXPECT_EQ(x.poll_sockets, y.poll_sockets);
    EXPECT_EQ(x.poll_events, y.poll_events);
    EXPECT_EQ(x.timeout_ms, y.timeout_ms);
    EXPECT_EQ(a.socket_id, b.socket_id);
    EXPECT_EQ(a.fd, b.fd);
    EXPECT_EQ(a.phase, b.phase);
    EXPECT_EQ(a.ret, b.ret);
    EXPECT_EQ(a.err, b.err);
    EXPECT_EQ(a.duration_us, b.duration_us);
    EXPECT_EQ(a.predicted.known, b.predicted.known);
    EXPECT_EQ(a.predicted.result, b.predicted.result);
    EXPECT_EQ(a.predicted.next, b.predicted.next);
    EXPECT_EQ(a.predicted.may_block, b.predicted.may_block);
    EXPECT_EQ(a.predicted.why, b.predicted.why);
    EXPECT_EQ(a.mismatch, b.mismatch);
    ASSERT_EQ(a.blocked.has_value(), b.blocked.has_value());
    if (a.blocked) {
        EXPECT_EQ(a.blocked->syscall_nr, b.blocked->syscall_nr);
        EXPECT_EQ(a.blocked->syscall, b.blocked->syscall);
        EXPECT_EQ(a.blocked->fd_arg, b.blocked->fd_arg);
        EXPECT_EQ(a.blocked->wchan, b.blocked->wchan);
    }
    EXPECT_EQ(a.result_socket_id, b.result_socket_id);
    EXPECT_EQ(a.data, b.data);
    EXPECT_EQ(a.peer, b.peer);
    EXPECT_EQ(a.message, b.message);
    EXPECT_EQ(a.cause_seq, b.cause_seq);
    ASSERT_EQ(a.packet.has_value(), b.packet.has_value());
    if (a.packet) {
        EXPECT_EQ(a.packet->transport, b.packet->transport);
        EXPECT_EQ(a.packet->src, b.packet->src);
        EXPECT_EQ(a.packet->dst, b.packet->dst);
        EXPECT_EQ(a.packet->flags, b.packet->flags);
        EXPECT_EQ(a.packet->seq, b.packet->seq);
        EXPECT_EQ(a.packet->ack, b.packet->ack);
        EXPECT_EQ(a.packet->rel_seq, b.packet->rel_seq);
        EXPECT_EQ(a.packet->rel_ack, b.packet->rel_ack);
        EXPECT_EQ(a.packet->window, b.packet->window);
        EXPECT_EQ(a.packet->length, b.packet->length);
        ASSERT_EQ(a.packet->icmp.has_value(), b.packet->icmp.has_value());
        if (a.packet->icmp) {
            EXPECT_EQ(a.packet->icmp->type, b.packet->icmp->type);
            EXPECT_EQ(a.packet->icmp->code, b.packet->icmp->code);
            EXPECT_EQ(a.packet->icmp->quoted, b.packet->icmp->quoted);
            EXPECT_EQ(a.packet->icmp->quoted_src, b.packet->icmp->quoted_src);
            EXPECT_EQ(a.packet->icmp->quoted_dst, b.packet->icmp->quoted_dst);
        }
    }
    ASSERT_EQ(a.sockets.size(), b.sockets.size());
    for (size_t i = 0; i < a.sockets.size(); ++i) {
        SCOPED_TRACE("socket " + std::to_string(i));
        const SocketView& s = a.sockets[i];
        const SocketView& t = b.sockets[i];
        EXPECT_EQ(s.id, t.id);
        EXPECT_EQ(s.name, t.name);
        EXPECT_EQ(s.fd, t.fd);
        EXPECT_EQ(s.actor, t.actor);
        EXPECT_EQ(s.owner, t.owner);
        EXPECT_EQ(s.family, t.family);
        EXPECT_EQ(s.type, t.type);
        EXPECT_EQ(s.local, t.local);
        EXPECT_EQ(s.remote, t.remote);
        EXPECT_EQ(s.api_state, t.api_state);
        EXPECT_EQ(s.tcp_state, t.tcp_state);
        EXPECT_EQ(s.accept_queue, t.accept_queue);
        EXPECT_EQ(s.backlog, t.backlog);
        EXPECT_EQ(s.inq, t.inq);
        EXPECT_EQ(s.outq, t.outq);
        EXPECT_EQ(s.timer_ms, t.timer_ms);
        EXPECT_EQ(s.retransmits, t.retransmits);
        EXPECT_EQ(s.inode, t.inode);
    }
}

std::string ToLines(const std::vector<Event>& events) {
    std::string out;
    for (const Event& e : events) out += EventToJsonLine(e) + "\n";
    return out;
}

std::variant<std::vector<Event>, TraceError> Read(const std::string& text) {
    std::istringstream in(text);
    return ReadJsonLines(in);
}

std::vector<Event> ReadOk(const std::string& text) {
    auto result = Read(text);
    if (const auto* error = std::get_if<TraceError>(&result)) {
        ADD_FAILURE() << "unexpected error: " << error->message;
        return {};
    }
    return std::get<std::vector<Event>>(std::move(result));
}

// A small valid event, the base the broken inputs are made from.
Event Sample(uint64_t seq = 0) {
    Event e;
    e.seq = seq;
    e.actor = 0;
    e.actor_name = "server";
    e.request = RequestFor(CallKind::kBind, 0);
    e.request.args.address = Address{"127.0.0.1", 5000, ""};
    e.socket_id = 0;
    e.fd = 3;
    e.phase = Phase::kReturn;
    e.sockets = {Listener()};
    return e;
}

Json SampleJson() {
    return Json::parse(EventToJsonLine(Sample()));
}

TEST(TraceJson, LineIsOneObjectWithoutNewline) {
    for (const Event& e : HandBuiltLog()) {
        const std::string line = EventToJsonLine(e);
        EXPECT_EQ(line.find('\n'), std::string::npos);
        EXPECT_EQ(line.find('\r'), std::string::npos);
        ASSERT_FALSE(line.empty());
        EXPECT_EQ(line.front(), '{');
        EXPECT_EQ(line.back(), '}');
        EXPECT_TRUE(Json::accept(line)) << line;
    }
}

TEST(TraceJson, FieldsFollowTheSchema) {
    Event e = Sample();
    e.ret = 0;
    e.sockets.push_back(QueuedInKernel());
    e.sockets.push_back(Fresh());
    const Json j = Json::parse(EventToJsonLine(e));
    EXPECT_EQ(j["v"], kTraceFormatVersion);
    EXPECT_EQ(j["actor"], "server");
    EXPECT_EQ(j["actor_index"], 0);
    EXPECT_EQ(j["step"], -1);
    EXPECT_EQ(j["call"], "bind");
    EXPECT_EQ(j["socket"], "listener");
    EXPECT_EQ(j["text"], FormatCall(e.request));
    EXPECT_EQ(j["args"], Json::parse(R"({"address":{"host":"127.0.0.1","port":5000,"peer":""}})"));
    EXPECT_FALSE(j.contains("result"));  // only written when a socket is created
    EXPECT_EQ(j["phase"], "return");
    EXPECT_EQ(j["ret"], 0);
    EXPECT_TRUE(j["errno"].is_null());
    EXPECT_TRUE(j["errno_message"].is_null());
    EXPECT_TRUE(j["blocked"].is_null());
    EXPECT_TRUE(j["peer"].is_null());
    EXPECT_EQ(j["result_socket_id"], -1);  // absent numbers stay -1, never null
    EXPECT_EQ(j["predicted"]["next"], ApiStateName(ApiState::kNone));
    EXPECT_TRUE(j["predicted"]["errno"].is_null());
    const Json& listener = j["sockets"][0];
    EXPECT_EQ(listener["local"], "127.0.0.1:5000");
    EXPECT_TRUE(listener["remote"].is_null());
    EXPECT_EQ(listener["owner"], "actor");
    EXPECT_EQ(listener["family"], "AF_INET");
    EXPECT_EQ(listener["type"], "SOCK_STREAM");
    EXPECT_EQ(listener["tcp_state"], "LISTEN");
    EXPECT_EQ(listener["api_state"], ApiStateName(ApiState::kListening));
    EXPECT_EQ(listener["inq"], -1);
    const Json& queued = j["sockets"][1];
    EXPECT_EQ(queued["owner"], "kernel");
    EXPECT_EQ(queued["local"], "[::1]:5000");
    EXPECT_EQ(queued["name"], "");
    EXPECT_TRUE(j["sockets"][2]["tcp_state"].is_null());

    Event failed = Sample();
    failed.request = RequestFor(CallKind::kConnect, 0);
    failed.ret = -1;
    failed.err = ECONNREFUSED;
    const Json k = Json::parse(EventToJsonLine(failed));
    EXPECT_EQ(k["errno"], "ECONNREFUSED");
    EXPECT_EQ(k["errno_message"], "Connection refused");
    EXPECT_EQ(k["ret"], -1);
    EXPECT_EQ(k["args"]["address"]["peer"], "listener");

    Event entering = Sample();
    entering.phase = Phase::kEnter;
    EXPECT_TRUE(Json::parse(EventToJsonLine(entering))["ret"].is_null());

    Event linger = Sample();
    linger.request = RequestFor(CallKind::kSetsockopt, 1);
    EXPECT_EQ(Json::parse(EventToJsonLine(linger))["args"],
              Json::parse(R"({"option":"SO_LINGER","value":1,"linger_seconds":0})"));
    Event syncnt = Sample();
    syncnt.request = RequestFor(CallKind::kSetsockopt, 0);
    EXPECT_EQ(Json::parse(EventToJsonLine(syncnt))["args"],
              Json::parse(R"({"option":"TCP_SYNCNT","value":2})"));
    Event poll = Sample();
    poll.request = RequestFor(CallKind::kPoll, 0);
    EXPECT_EQ(Json::parse(EventToJsonLine(poll))["args"],
              Json::parse(R"({"sockets":["listener","conn"],"events":["POLLIN","POLLOUT"],
                              "timeout_ms":-1})"));
    Event shut = Sample();
    shut.request = RequestFor(CallKind::kShutdown, 0);
    shut.request.args.how = ShutHow::kWr;
    EXPECT_EQ(Json::parse(EventToJsonLine(shut))["args"], Json::parse(R"({"how":"SHUT_WR"})"));
    Event made = Sample();
    made.request = RequestFor(CallKind::kSocket, 0);
    const Json m = Json::parse(EventToJsonLine(made));
    EXPECT_EQ(m["args"], Json::parse(R"({"family":"AF_INET","type":"SOCK_DGRAM"})"));
    EXPECT_EQ(m["result"], "listener");
}

TEST(TraceJson, RoundTripCoversEveryCallPhaseAndOwner) {
    const std::vector<Event> log = HandBuiltLog();
    // The log really covers what the issue asks for.
    std::vector<bool> calls(static_cast<size_t>(CallKind::kCount));
    std::vector<bool> phases(5);
    for (const Event& e : log) {
        calls[static_cast<size_t>(e.request.call)] = true;
        phases[static_cast<size_t>(e.phase)] = true;
    }
    for (bool seen : calls) EXPECT_TRUE(seen);
    for (bool seen : phases) EXPECT_TRUE(seen);

    const std::vector<Event> back = ReadOk(ToLines(log));
    ASSERT_EQ(back.size(), log.size());
    for (size_t i = 0; i < log.size(); ++i) {
        SCOPED_TRACE("event " + std::to_string(i));
        ExpectSameEvent(log[i], back[i]);
    }
    // Writing what was read gives the same bytes: nothing is lost or reinterpreted.
    EXPECT_EQ(ToLines(back), ToLines(log));
}

TEST(TraceJson, BinaryDataRoundTripsExactly) {
    Event e = Sample();
    e.request = RequestFor(CallKind::kRecv, 0);
    e.data = AllBytes();
    const std::string line = EventToJsonLine(e);
    const Json j = Json::parse(line);  // still valid JSON and UTF-8
    ASSERT_TRUE(j.contains("data_base64"));
    EXPECT_EQ(j["data_base64"].get<std::string>().size(), 344u);
    const std::vector<Event> back = ReadOk(line);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].data, AllBytes());

    Event sent = Sample();
    sent.request = RequestFor(CallKind::kSendto, 0);
    sent.request.args.data = std::string("\x80\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80", 10);
    const std::vector<Event> sent_back = ReadOk(EventToJsonLine(sent));
    ASSERT_EQ(sent_back.size(), 1u);
    EXPECT_EQ(sent_back[0].request.args.data, sent.request.args.data);

    // Every short length, so every padding case of base64 is exercised.
    for (size_t n = 0; n < 8; ++n) {
        Event cut = e;
        cut.data = std::string(n, '\xff');
        const std::vector<Event> cut_back = ReadOk(EventToJsonLine(cut));
        ASSERT_EQ(cut_back.size(), 1u);
        EXPECT_EQ(cut_back[0].data, cut.data) << n;
    }
}

TEST(TraceJson, TextDataStaysReadableWithoutBase64) {
    Event e = Sample();
    e.request = RequestFor(CallKind::kRecv, 0);
    e.data = std::string("hello, 세계\n\0", 15);
    const Json j = Json::parse(EventToJsonLine(e));
    EXPECT_FALSE(j.contains("data_base64"));
    EXPECT_EQ(j["data"].get<std::string>(), e.data);
    EXPECT_NE(EventToJsonLine(e).find("hello, 세계\\n\\u0000"), std::string::npos);
}

TEST(TraceJson, UnknownErrnoIsWrittenAsENumber) {
    Event e = Sample();
    e.ret = -1;
    e.err = 200;
    const Json j = Json::parse(EventToJsonLine(e));
    EXPECT_EQ(j["errno"], "E200");
    const std::vector<Event> back = ReadOk(EventToJsonLine(e));
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].err, 200);
}

TEST(TraceJson, NewSynRecvReadsBackAsSynRecv) {
    // Linux's request-socket state has no name of its own (ss shows SYN-RECV).
    Event e = Sample();
    SocketView view = e.sockets[0];  // snapshots are immutable: build a new one
    view.tcp_state = TcpState::kNewSynRecv;
    e.sockets = Snapshot{view};
    EXPECT_EQ(Json::parse(EventToJsonLine(e))["sockets"][0]["tcp_state"], "SYN-RECV");
    const std::vector<Event> back = ReadOk(EventToJsonLine(e));
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].sockets[0].tcp_state, TcpState::kSynRecv);
}

TEST(TraceJson, WriteJsonLinesWritesOneLinePerEvent) {
    const std::vector<Event> events = HandBuiltLog();
    std::vector<std::shared_ptr<EventBlock>> blocks{std::make_shared<EventBlock>()};
    for (size_t i = 0; i < events.size(); ++i) blocks[0]->events[i] = events[i];
    const LogView view(blocks, events.size());
    std::ostringstream out;
    WriteJsonLines(view, out);
    EXPECT_EQ(out.str(), ToLines(events));

    std::ostringstream empty;
    WriteJsonLines(LogView(), empty);
    EXPECT_EQ(empty.str(), "");
}

TEST(TraceJson, BlankLinesAndCrlfAreAccepted) {
    const std::string a = EventToJsonLine(Sample(0));
    const std::string b = EventToJsonLine(Sample(1));
    const std::vector<Event> back = ReadOk("\n  \n" + a + "\r\n\t\r\n" + b);  // no final newline
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[1].seq, 1u);
}

TEST(TraceJson, EmptyInputIsAnEmptyLog) {
    EXPECT_TRUE(ReadOk("").empty());
    EXPECT_TRUE(ReadOk("\n\n").empty());
}

TEST(TraceJson, UnreadableStreamIsAnError) {
    std::ifstream missing("/nonexistent/sockstep/trace.jsonl");
    const auto result = ReadJsonLines(missing);
    ASSERT_TRUE(std::holds_alternative<TraceError>(result));
    EXPECT_EQ(std::get<TraceError>(result).line, 0);
}

TEST(TraceJson, UnknownFieldsAreIgnored) {
    Json j = SampleJson();
    j["added_in_v1_1"] = {{"anything", Json::array({1, 2})}};
    j["args"]["future"] = true;
    j["sockets"][0]["cwnd"] = 10;
    j.erase("text");  // derived fields may be left out
    j.erase("errno_message");
    const std::vector<Event> back = ReadOk(j.dump());
    ASSERT_EQ(back.size(), 1u);
    ExpectSameEvent(back[0], Sample());
}

TEST(TraceJson, ErrorMessageMatchesTheIssueExample) {
    Json bad = SampleJson();
    bad["phase"] = "exit";
    bad["seq"] = 2;
    const std::string text =
        EventToJsonLine(Sample(0)) + "\n" + EventToJsonLine(Sample(1)) + "\n" + bad.dump() + "\n";
    const auto result = Read(text);
    ASSERT_TRUE(std::holds_alternative<TraceError>(result));
    const TraceError& error = std::get<TraceError>(result);
    EXPECT_EQ(error.line, 3);
    EXPECT_EQ(error.message,
              "line 3: field 'phase': expected one of enter, blocked, return, interrupted, "
              "refused, packet, kernel, got \"exit\"");
}

struct Broken {
    std::string name;
    std::string text;
    int line;
    std::vector<std::string> says;  // each must appear in the message
};

// `text` with the first `from` replaced by `to`: for numbers nlohmann cannot produce.
std::string Replaced(std::string text, const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

std::string Mutated(const std::function<void(Json&)>& change) {
    Json j = SampleJson();
    change(j);
    return j.dump();
}

TEST(TraceJson, BrokenInputsNameTheLineAndTheProblem) {
    const std::string good0 = EventToJsonLine(Sample(0));
    const std::string good1 = EventToJsonLine(Sample(1));
    const std::string ok = good0 + "\n";
    const std::vector<Broken> corpus = {
        {"truncated line",
         ok + good1.substr(0, good1.size() / 2) + "\n",
         2,
         {"not valid JSON", "column"}},
        {"lone brace", "{\n", 1, {"not valid JSON"}},
        {"not an object", "[1, 2]\n", 1, {"expected a JSON object", "an array"}},
        {"bare string", "\"hello\"\n", 1, {"expected a JSON object"}},
        {"unknown phase",
         Mutated([](Json& j) { j["phase"] = "exit"; }),
         1,
         {"field 'phase'", "\"exit\""}},
        {"unknown call",
         Mutated([](Json& j) { j["call"] = "sendfile"; }),
         1,
         {"field 'call'", "\"sendfile\"", "getpeername"}},
        {"negative seq", Mutated([](Json& j) { j["seq"] = -1; }), 1, {"field 'seq'", "-1"}},
        {"seq not increasing", ok + good0 + "\n", 2, {"field 'seq'", "0 does not follow 0"}},
        {"number overflowing a double",
         Replaced(good0, "\"seq\":0", "\"seq\":1e400"),
         1,
         {"not valid JSON", "number overflow"}},
        {"seq too big for 64 bits",
         R"({"v":1,"seq":123456789012345678901234567890})",
         1,
         {"field 'seq'", "non-negative integer"}},
        {"integer too big for int64",
         Replaced(good0, "\"t_us\":0", "\"t_us\":-9223372036854775809"),
         1,
         {"field 't_us'", "expected an integer", "e+18"}},
        {"fd as a string",
         Mutated([](Json& j) { j["fd"] = "3"; }),
         1,
         {"field 'fd'", "expected an integer", "\"3\""}},
        {"fd as a fraction", Mutated([](Json& j) { j["fd"] = 3.5; }), 1, {"field 'fd'", "3.5"}},
        {"actor index out of int range",
         Mutated([](Json& j) { j["actor_index"] = 4294967296LL; }),
         1,
         {"field 'actor_index'", "4294967296"}},
        {"missing phase",
         Mutated([](Json& j) { j.erase("phase"); }),
         1,
         {"field 'phase': missing"}},
        {"NUL byte", ok + std::string("{\"v\":1,\0}", 9) + "\n", 2, {"NUL byte", "column 8"}},
        {"invalid UTF-8", ok + "{\"actor\":\"\xff\"}\n", 2, {"invalid UTF-8", "column 11"}},
        {"unknown tcp state",
         Mutated([](Json& j) { j["sockets"][0]["tcp_state"] = "ESTABLISHED"; }),
         1,
         {"field 'sockets[0].tcp_state'", "ESTAB", "\"ESTABLISHED\""}},
        {"unknown api state",
         Mutated([](Json& j) { j["sockets"][0]["api_state"] = "Open"; }),
         1,
         {"field 'sockets[0].api_state'", "\"Open\""}},
        {"unknown owner",
         Mutated([](Json& j) { j["sockets"][0]["owner"] = "martian"; }),
         1,
         {"field 'sockets[0].owner'", "kernel"}},
        {"endpoint without port",
         Mutated([](Json& j) { j["sockets"][0]["local"] = "127.0.0.1"; }),
         1,
         {"field 'sockets[0].local'", "[::1]:5000"}},
        {"IPv6 endpoint without brackets",
         Mutated([](Json& j) { j["sockets"][0]["local"] = "::1:5000"; }),
         1,
         {"field 'sockets[0].local'"}},
        {"port out of range",
         Mutated([](Json& j) { j["args"]["address"]["port"] = 70000; }),
         1,
         {"field 'args.address.port'", "0 to 65535", "70000"}},
        {"missing call argument",
         Mutated([](Json& j) { j["args"].erase("address"); }),
         1,
         {"field 'args.address': missing"}},
        {"unknown errno",
         Mutated([](Json& j) { j["errno"] = "EFOO"; }),
         1,
         {"field 'errno'", "\"EFOO\""}},
        {"errno as a number",
         Mutated([](Json& j) { j["errno"] = 111; }),
         1,
         {"field 'errno'", "111"}},
        {"newer format version",
         Mutated([](Json& j) { j["v"] = 2; }),
         1,
         {"field 'v'", "version 1", "2"}},
        {"ret null on return",
         Mutated([](Json& j) { j["ret"] = nullptr; }),
         1,
         {"field 'ret'", "null"}},
        {"ret on enter",
         Mutated([](Json& j) { j["phase"] = "enter"; }),
         1,
         {"field 'ret'", "\"enter\""}},
        {"bad base64",
         Mutated([](Json& j) { j["data_base64"] = "@@@@"; }),
         1,
         {"field 'data_base64'", "base64"}},
        {"sockets not an array",
         Mutated([](Json& j) { j["sockets"] = "none"; }),
         1,
         {"field 'sockets'", "an array"}},
        {"socket not an object",
         Mutated([](Json& j) { j["sockets"][0] = 7; }),
         1,
         {"field 'sockets[0]'", "an object"}},
        {"mismatch as a string",
         Mutated([](Json& j) { j["mismatch"] = "no"; }),
         1,
         {"field 'mismatch'", "true or false"}},
        {"blocked not an object",
         Mutated([](Json& j) { j["blocked"] = 1; }),
         1,
         {"field 'blocked'"}},
        {"blank lines still count", "\n\n{bad\n", 3, {"line 3:", "not valid JSON"}},
        {"nested too deep", std::string(1000, '[') + std::string(1000, ']'), 1, {"nested deeper"}},
    };
    ASSERT_GE(corpus.size(), 12u);
    for (const Broken& broken : corpus) {
        SCOPED_TRACE(broken.name);
        const auto result = Read(broken.text);
        ASSERT_TRUE(std::holds_alternative<TraceError>(result));
        const TraceError& error = std::get<TraceError>(result);
        EXPECT_EQ(error.line, broken.line);
        EXPECT_EQ(error.message.rfind("line " + std::to_string(broken.line) + ": ", 0), 0u)
            << error.message;
        for (const std::string& part : broken.says) {
            EXPECT_NE(error.message.find(part), std::string::npos)
                << "'" << part << "' not in: " << error.message;
        }
    }
}

TEST(TraceJson, DeeplyNestedLineIsRejectedWithoutParsing) {
    for (const char* open : {"[", "{\"a\":"}) {
        std::string text = EventToJsonLine(Sample(0)) + "\n";
        for (int i = 0; i < 100000; ++i) text += open;
        text += "\n";
        const auto result = Read(text);
        ASSERT_TRUE(std::holds_alternative<TraceError>(result));
        EXPECT_EQ(std::get<TraceError>(result).line, 2);
        EXPECT_NE(std::get<TraceError>(result).message.find("nested deeper"), std::string::npos);
    }
    // Brackets inside strings are text, not nesting.
    Event e = Sample();
    e.message = std::string(100000, '[');
    EXPECT_EQ(ReadOk(EventToJsonLine(e)).size(), 1u);
}

TEST(TraceJson, OverlongLineIsRejected) {
    std::string text = EventToJsonLine(Sample(0)) + "\n{\"message\":\"";
    text += std::string(3 << 20, 'x');  // no newline for 3 MiB
    const auto result = Read(text);
    ASSERT_TRUE(std::holds_alternative<TraceError>(result));
    EXPECT_EQ(std::get<TraceError>(result).line, 2);
    EXPECT_NE(std::get<TraceError>(result).message.find("longer than"), std::string::npos);
}

TEST(TraceJson, HostileBytesNeverCrash) {
    // Every one-byte truncation of a valid line, and every byte value spliced in, is either read
    // or reported; nothing throws out.
    const std::string line = EventToJsonLine(Sample(0));
    for (size_t n = 0; n < line.size(); n += 7) {
        const auto result = Read(line.substr(0, n));
        if (n > 0) {
            EXPECT_TRUE(std::holds_alternative<TraceError>(result)) << n;
        }
    }
    for (int b = 0; b < 256; ++b) {
        std::string spliced = line;
        spliced.insert(spliced.size() / 2, 1, static_cast<char>(b));
        (void)Read(spliced);
    }
    SUCCEED();
}

// ---- captured packets ---------------------------------------------------------------------

// A SYN-ACK tied to the connect() whose Enter is event 3, and a UDP datagram and an ACK that no
// call caused (cause_seq -1).
std::vector<Event> PacketLog() {
    std::vector<Event> log;
    Event enter = Sample(3);
    enter.actor = 1;
    enter.actor_name = "client";
    enter.request = RequestFor(CallKind::kConnect, 0);
    enter.request.args.address = Address{"", 0, "listener"};
    enter.phase = Phase::kEnter;
    log.push_back(enter);
    Event synack = enter;
    synack.seq = 4;
    synack.t_us = 17;
    synack.phase = Phase::kPacket;
    synack.cause_seq = 3;
    Packet p;
    p.transport = Transport::kTcp;
    p.src = Endpoint{Family::kInet, "127.0.0.1", 5000};
    p.dst = Endpoint{Family::kInet, "127.0.0.1", 41532};
    p.flags = kTcpSyn | kTcpAck;
    p.seq = 4000000000u;
    p.ack = 123457;
    p.rel_seq = 0;
    p.rel_ack = 1;
    p.window = 65483;
    p.length = 0;
    synack.packet = p;
    log.push_back(synack);
    Event datagram;
    datagram.seq = 5;
    datagram.t_us = 20;
    datagram.phase = Phase::kPacket;
    datagram.cause_seq = -1;
    Packet u;
    u.transport = Transport::kUdp;
    u.src = Endpoint{Family::kInet6, "::1", 40000};
    u.dst = Endpoint{Family::kInet6, "::1", 40001};
    u.length = 17;
    datagram.packet = u;
    datagram.sockets = {Listener()};
    log.push_back(datagram);
    Event late_ack = datagram;
    late_ack.seq = 6;
    Packet a = p;
    std::swap(a.src, a.dst);
    a.flags = kTcpAck | kTcpFin | kTcpPsh | kTcpRst | kTcpUrg | 0x40 | 0x80;
    a.rel_seq = 1;
    a.rel_ack = 1;
    late_ack.packet = a;
    log.push_back(late_ack);
    // ICMP port unreachable about a datagram to a closed port, and its ICMPv6 counterpart.
    Event unreachable = datagram;
    unreachable.seq = 7;
    Packet icmp;
    icmp.transport = Transport::kIcmp;
    icmp.src = Endpoint{Family::kInet, "127.0.0.1", 0};
    icmp.dst = Endpoint{Family::kInet, "127.0.0.1", 0};
    icmp.length = 40;
    icmp.icmp = IcmpError{3, 3, Transport::kUdp, Endpoint{Family::kInet, "127.0.0.1", 40000},
                          Endpoint{Family::kInet, "127.0.0.1", 5000}};
    unreachable.packet = icmp;
    log.push_back(unreachable);
    Event unreachable6 = unreachable;
    unreachable6.seq = 8;
    Packet icmp6;
    icmp6.transport = Transport::kIcmp;
    icmp6.src = Endpoint{Family::kInet6, "::1", 0};
    icmp6.dst = Endpoint{Family::kInet6, "::1", 0};
    icmp6.length = 55;
    icmp6.icmp = IcmpError{1, 4, Transport::kUdp, Endpoint{Family::kInet6, "::1", 40000},
                           Endpoint{Family::kInet6, "::1", 5000}};
    unreachable6.packet = icmp6;
    log.push_back(unreachable6);
    return log;
}

TEST(TraceJson, PacketEventsRoundTrip) {
    const std::vector<Event> log = PacketLog();
    const std::vector<Event> back = ReadOk(ToLines(log));
    ASSERT_EQ(back.size(), log.size());
    for (size_t i = 0; i < log.size(); ++i) {
        SCOPED_TRACE("event " + std::to_string(i));
        ExpectSameEvent(log[i], back[i]);
    }
}

TEST(TraceJson, PacketFieldsFollowTheSchema) {
    const std::vector<Event> log = PacketLog();
    const Json synack = Json::parse(EventToJsonLine(log[1]));
    EXPECT_EQ(synack["phase"], "packet");
    EXPECT_EQ(synack["cause_seq"], 3);
    EXPECT_EQ(synack["call"], "connect") << "a packet names the call that caused it";
    EXPECT_TRUE(synack["ret"].is_null());
    const Json& p = synack["packet"];
    EXPECT_EQ(p["transport"], "TCP");
    EXPECT_EQ(p["src"], "127.0.0.1:5000");
    EXPECT_EQ(p["dst"], "127.0.0.1:41532");
    EXPECT_EQ(p["flags"], "SYN|ACK");
    EXPECT_EQ(p["seq"], 4000000000u);
    EXPECT_EQ(p["ack"], 123457);
    EXPECT_EQ(p["rel_seq"], 0);
    EXPECT_EQ(p["rel_ack"], 1);
    EXPECT_EQ(p["window"], 65483);
    EXPECT_EQ(p["length"], 0);
    const Json datagram = Json::parse(EventToJsonLine(log[2]));
    EXPECT_TRUE(datagram["call"].is_null()) << "no call caused it";
    EXPECT_EQ(datagram["text"], "");
    EXPECT_EQ(datagram["args"], Json::object());
    EXPECT_EQ(datagram["cause_seq"], -1);
    EXPECT_EQ(datagram["packet"]["transport"], "UDP");
    EXPECT_EQ(datagram["packet"]["src"], "[::1]:40000");
    EXPECT_EQ(datagram["packet"]["flags"], "");
    EXPECT_EQ(datagram["packet"]["length"], 17);
    EXPECT_EQ(Json::parse(EventToJsonLine(log[3]))["packet"]["flags"],
              "FIN|RST|PSH|ACK|URG|ECE|CWR");
    // An ICMP error: its own addresses, then type, code and the quoted datagram's ends; TCP and
    // UDP packets carry no "icmp" field, as before ICMP was captured.
    EXPECT_FALSE(p.contains("icmp"));
    EXPECT_FALSE(datagram["packet"].contains("icmp"));
    const Json icmp = Json::parse(EventToJsonLine(log[4]))["packet"];
    EXPECT_EQ(icmp["transport"], "ICMP");
    EXPECT_EQ(icmp["src"], "127.0.0.1:0");
    EXPECT_EQ(icmp["flags"], "");
    EXPECT_EQ(icmp["length"], 40);
    EXPECT_EQ(icmp["icmp"],
              Json::parse(R"({"type": 3, "code": 3, "quoted": "UDP",)"
                          R"( "quoted_src": "127.0.0.1:40000", "quoted_dst": "127.0.0.1:5000"})"));
    const Json icmp6 = Json::parse(EventToJsonLine(log[5]))["packet"];
    EXPECT_EQ(icmp6["transport"], "ICMPv6");
    EXPECT_EQ(icmp6["icmp"]["type"], 1);
    EXPECT_EQ(icmp6["icmp"]["code"], 4);
    EXPECT_EQ(icmp6["icmp"]["quoted_dst"], "[::1]:5000");
    // A call's events carry neither field, as before capture existed.
    const Json call = SampleJson();
    EXPECT_FALSE(call.contains("packet"));
    EXPECT_FALSE(call.contains("cause_seq"));
}

TEST(TraceJson, OldLogsWithoutPacketFieldsStillRead) {
    Json old = SampleJson();
    old.erase("packet");
    old.erase("cause_seq");
    const std::vector<Event> back = ReadOk(old.dump() + "\n");
    ASSERT_EQ(back.size(), 1u);
    EXPECT_FALSE(back[0].packet);
    EXPECT_EQ(back[0].cause_seq, -1);
    Json explicit_null = SampleJson();
    explicit_null["packet"] = nullptr;
    explicit_null["cause_seq"] = -1;
    EXPECT_EQ(ReadOk(explicit_null.dump() + "\n").size(), 1u);
}

TEST(TraceJson, BrokenPacketEventsAreReported) {
    const std::string synack = EventToJsonLine(PacketLog()[1]);
    const std::string udp = EventToJsonLine(PacketLog()[2]);
    const std::string icmp = EventToJsonLine(PacketLog()[4]);
    const std::string icmp6 = EventToJsonLine(PacketLog()[5]);
    auto mutated = [](const std::string& line, const std::function<void(Json&)>& change) {
        Json j = Json::parse(line);
        change(j);
        return j.dump() + "\n";
    };
    const std::vector<Broken> corpus = {
        {"packet phase without packet",
         mutated(synack, [](Json& j) { j.erase("packet"); }),
         1,
         {"field 'packet'", "missing"}},
        {"packet on a return event",
         mutated(EventToJsonLine(Sample(9)), [](Json& j) { j["packet"] = Json::object(); }),
         1,
         {"field 'packet'", "only a \"packet\" event"}},
        {"cause on a return event",
         mutated(EventToJsonLine(Sample(9)), [](Json& j) { j["cause_seq"] = 2; }),
         1,
         {"field 'cause_seq'", "only a \"packet\" event"}},
        {"cause not earlier",
         mutated(synack, [](Json& j) { j["cause_seq"] = 4; }),
         1,
         {"field 'cause_seq'", "not an earlier event"}},
        {"unknown flag",
         mutated(synack, [](Json& j) { j["packet"]["flags"] = "SYN|NOP"; }),
         1,
         {"field 'packet.flags'", "\"SYN|NOP\""}},
        {"repeated flag",
         mutated(synack, [](Json& j) { j["packet"]["flags"] = "ACK|ACK"; }),
         1,
         {"field 'packet.flags'"}},
        {"trailing bar",
         mutated(synack, [](Json& j) { j["packet"]["flags"] = "SYN|"; }),
         1,
         {"field 'packet.flags'"}},
        {"unknown transport",
         mutated(synack, [](Json& j) { j["packet"]["transport"] = "SCTP"; }),
         1,
         {"field 'packet.transport'", "\"SCTP\""}},
        {"UDP with TCP flags",
         mutated(udp, [](Json& j) { j["packet"]["flags"] = "SYN"; }),
         1,
         {"field 'packet.transport'", "no TCP flags"}},
        {"ICMP without its error",
         mutated(icmp, [](Json& j) { j["packet"].erase("icmp"); }),
         1,
         {"field 'packet.icmp'", "missing"}},
        {"ICMP error not an object",
         mutated(icmp, [](Json& j) { j["packet"]["icmp"] = 3; }),
         1,
         {"field 'packet.icmp'", "an object"}},
        {"ICMP type beyond 8 bits",
         mutated(icmp, [](Json& j) { j["packet"]["icmp"]["type"] = 256; }),
         1,
         {"field 'packet.icmp.type'", "255"}},
        {"ICMP code negative",
         mutated(icmp, [](Json& j) { j["packet"]["icmp"]["code"] = -1; }),
         1,
         {"field 'packet.icmp.code'"}},
        {"ICMP code missing",
         mutated(icmp, [](Json& j) { j["packet"]["icmp"].erase("code"); }),
         1,
         {"field 'packet.icmp.code'", "missing"}},
        {"ICMP about an unknown protocol",
         mutated(icmp, [](Json& j) { j["packet"]["icmp"]["quoted"] = "ICMP"; }),
         1,
         {"field 'packet.icmp.quoted'", "\"TCP\" or \"UDP\""}},
        {"ICMP quoting no endpoint",
         mutated(icmp, [](Json& j) { j["packet"]["icmp"]["quoted_src"] = nullptr; }),
         1,
         {"field 'packet.icmp.quoted_src'"}},
        {"ICMP quoting a bad endpoint",
         mutated(icmp, [](Json& j) { j["packet"]["icmp"]["quoted_dst"] = "127.0.0.1:99999"; }),
         1,
         {"field 'packet.icmp.quoted_dst'"}},
        {"ICMP over IPv6",
         mutated(icmp, [](Json& j) { j["packet"]["src"] = "[::1]:0"; }),
         1,
         {"field 'packet.src'", "IPv4"}},
        {"ICMPv6 over IPv4",
         mutated(icmp6, [](Json& j) { j["packet"]["dst"] = "127.0.0.1:0"; }),
         1,
         {"field 'packet.dst'", "IPv6"}},
        {"ICMPv6 quoting an IPv4 datagram",
         mutated(icmp6, [](Json& j) { j["packet"]["icmp"]["quoted_src"] = "127.0.0.1:1"; }),
         1,
         {"field 'packet.icmp.quoted_src'", "IPv6"}},
        {"ICMP with a sequence number",
         mutated(icmp, [](Json& j) { j["packet"]["seq"] = 1; }),
         1,
         {"field 'packet.transport'", "an ICMP error has no TCP flags"}},
        {"UDP with an ICMP error",
         mutated(udp, [&](Json& j) { j["packet"]["icmp"] = Json::parse(icmp)["packet"]["icmp"]; }),
         1,
         {"field 'packet.icmp'", "only an ICMP"}},
        {"seq beyond 32 bits",
         mutated(synack, [](Json& j) { j["packet"]["seq"] = 4294967296LL; }),
         1,
         {"field 'packet.seq'", "4294967295"}},
        {"window beyond 16 bits",
         mutated(synack, [](Json& j) { j["packet"]["window"] = 65536; }),
         1,
         {"field 'packet.window'"}},
        {"endpoint missing its port",
         mutated(synack, [](Json& j) { j["packet"]["src"] = "127.0.0.1"; }),
         1,
         {"field 'packet.src'"}},
        {"null endpoint",
         mutated(synack, [](Json& j) { j["packet"]["dst"] = nullptr; }),
         1,
         {"field 'packet.dst'"}},
        {"packet not an object",
         mutated(synack, [](Json& j) { j["packet"] = "SYN"; }),
         1,
         {"field 'packet'", "an object"}},
        {"null call with a cause",
         mutated(synack, [](Json& j) { j["call"] = nullptr; }),
         1,
         {"field 'call'"}},
    };
    for (const Broken& b : corpus) {
        SCOPED_TRACE(b.name);
        const auto result = Read(b.text);
        const auto* error = std::get_if<TraceError>(&result);
        ASSERT_NE(error, nullptr) << "accepted: " << b.text;
        EXPECT_EQ(error->line, b.line) << error->message;
        for (const std::string& part : b.says) {
            EXPECT_NE(error->message.find(part), std::string::npos)
                << "'" << part << "' not in: " << error->message;
        }
    }
}

}  // namespace
}  // namespace sockstep::core

namespace sockstep::core {
namespace {

// A change the kernel made with no call running: "phase": "kernel", no call, its own snapshot.
Event KernelSample() {
    Event e;
    e.seq = 1;
    e.t_us = 1500;
    e.phase = Phase::kKernel;
    e.socket_id = 0;
    e.sockets = {Listener()};
    return e;
}

TEST(TraceJson, KernelEventsRoundTrip) {
    const std::string text =
        EventToJsonLine(Sample(0)) + "\n" + EventToJsonLine(KernelSample()) + "\n";
    const Json j = Json::parse(EventToJsonLine(KernelSample()));
    EXPECT_EQ(j["phase"], "kernel");
    EXPECT_TRUE(j["call"].is_null()) << "no call caused it";
    const std::vector<Event> back = ReadOk(text);
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[1].phase, Phase::kKernel);
    EXPECT_EQ(back[1].socket_id, 0);
    EXPECT_EQ(back[1].actor, -1);
    EXPECT_EQ(back[1].sockets, KernelSample().sockets);
    EXPECT_EQ(EventToJsonLine(back[1]), EventToJsonLine(KernelSample()));
}

TEST(TraceJson, KernelEventWithACallIsReported) {
    Json bad = Json::parse(EventToJsonLine(KernelSample()));
    bad["call"] = "bind";
    const auto result = Read(EventToJsonLine(Sample(0)) + "\n" + bad.dump() + "\n");
    ASSERT_TRUE(std::holds_alternative<TraceError>(result));
    const TraceError& error = std::get<TraceError>(result);
    EXPECT_EQ(error.line, 2);
    EXPECT_NE(error.message.find("field 'call'"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("no call running"), std::string::npos) << error.message;
}

// The fuzz seed is a real `trace --json --until 8` of close-and-time-wait: the delayed ACK of
// the server's FIN came after close() returned, and the log has it as a kernel event.
TEST(TraceJson, RealLogWithAKernelEventReads) {
    std::ifstream in(std::string(SOCKSTEP_SOURCE_DIR) +
                     "/fuzz/seeds/json/close-time-wait-kernel.jsonl");
    ASSERT_TRUE(in) << "fuzz/seeds/json/close-time-wait-kernel.jsonl is missing";
    const auto result = ReadJsonLines(in);
    ASSERT_TRUE(std::holds_alternative<std::vector<Event>>(result))
        << std::get<TraceError>(result).message;
    const std::vector<Event>& events = std::get<std::vector<Event>>(result);
    size_t kernel = 0;
    for (size_t i = 1; i < events.size(); ++i) {
        if (events[i].phase != Phase::kKernel) continue;
        ++kernel;
        EXPECT_EQ(events[i].actor, -1);
        EXPECT_FALSE(KernelChanges(events[i - 1].sockets, events[i].sockets).empty())
            << "a kernel event changes the view";
    }
    EXPECT_GE(kernel, 1u);
}

}  // namespace
}  // namespace sockstep::core
