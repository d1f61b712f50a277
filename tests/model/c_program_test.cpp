// The code panel's C programs: one per actor, a line per call as a learner writes it, each
// line knowing its step, the real port of a peer filled in from the log.
#include "sockstep/model/c_program.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "sockstep/model/strings.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

std::string Text(const ui::ActorProgram& p) {
    std::string out;
    for (const ui::CodeLine& l : p.lines) out += l.text + "\n";
    return out;
}

TEST(CProgram, EachActorGetsItsOwnProgramWithStepsOnTheirLines) {
    core::Session session;
    SetUpHandshake(session);
    const std::vector<ui::ActorInfo> actors{{"server", core::Role::kServer},
                                            {"client", core::Role::kClient}};
    std::vector<core::ScriptStep> script;
    {
        core::Lesson lesson = HandshakeLesson();
        script = core::ToScript(lesson);
    }
    const auto programs = ui::BuildPrograms(script, actors, session.Log(), core::Lang::kEn);
    ASSERT_EQ(programs.size(), 2u);
    const std::string server = Text(programs[0]);
    const std::string client = Text(programs[1]);
    EXPECT_NE(server.find("int listener = socket(AF_INET, SOCK_STREAM, 0);"), std::string::npos);
    EXPECT_NE(server.find("bind(listener, (struct sockaddr *)&addr, sizeof addr);"),
              std::string::npos);
    EXPECT_NE(server.find("listen(listener, 5);"), std::string::npos);
    EXPECT_NE(server.find("int conn = accept(listener, NULL, NULL);"), std::string::npos);
    EXPECT_NE(server.find("ssize_t n = recv(conn, buf, sizeof buf, 0);"), std::string::npos);
    EXPECT_NE(client.find("send(client, \"hello\", 5, 0);"), std::string::npos);
    // Before the run, the listener's port is not known yet.
    EXPECT_NE(client.find("htons(PORT)"), std::string::npos);
    for (const ui::CodeLine& l : programs[0].lines) {
        ASSERT_GE(l.step, 0);
        EXPECT_EQ(script[static_cast<size_t>(l.step)].actor, 0);
    }

    // After the run the real port appears, and free-mode calls follow under their own comment.
    RunSteps(session, 6);
    core::CallRequest extra;
    extra.call = core::CallKind::kGetsockname;
    extra.socket = "client";
    session.Call(1, extra);
    const core::LogView log = session.Log();
    const auto after = ui::BuildPrograms(script, actors, log, core::Lang::kEn);
    const std::string port =
        std::to_string(core::FindSocketByName(log.back().sockets, "listener")->local->port);
    EXPECT_NE(Text(after[1]).find("htons(" + port + ")"), std::string::npos);
    EXPECT_NE(Text(after[1]).find("/* free mode */"), std::string::npos);
    const ui::CodeLine& last = after[1].lines.back();
    EXPECT_EQ(last.step, -1);
    ASSERT_NE(last.event, ui::kNoEvent);
    EXPECT_EQ(log[last.event].request.call, core::CallKind::kGetsockname);
    EXPECT_EQ(log[last.event].phase, core::Phase::kEnter);
}

// The first difference between two sets of programs, "" when they are the same line by line.
std::string Difference(const std::vector<ui::ActorProgram>& got,
                       const std::vector<ui::ActorProgram>& want) {
    if (got.size() != want.size()) {
        return std::to_string(got.size()) + " programs, not " + std::to_string(want.size());
    }
    for (size_t p = 0; p < want.size(); ++p) {
        const std::string where = "program " + std::to_string(p) + " (" + want[p].name + ")";
        if (got[p].actor != want[p].actor || got[p].name != want[p].name) {
            return where + ": actor " + std::to_string(got[p].actor) + " " + got[p].name;
        }
        const std::vector<ui::CodeLine>& g = got[p].lines;
        const std::vector<ui::CodeLine>& w = want[p].lines;
        for (size_t i = 0; i < std::max(g.size(), w.size()); ++i) {
            if (i >= g.size())
                return where + ": line " + std::to_string(i) + " missing: " + w[i].text;
            if (i >= w.size())
                return where + ": line " + std::to_string(i) + " extra: " + g[i].text;
            if (g[i].text != w[i].text || g[i].step != w[i].step || g[i].event != w[i].event ||
                g[i].comment != w[i].comment) {
                return where + ": line " + std::to_string(i) + " is \"" + g[i].text + "\" step " +
                       std::to_string(g[i].step) + " event " + std::to_string(g[i].event) +
                       " comment " + std::to_string(g[i].comment) + ", a full build has \"" +
                       w[i].text + "\" step " + std::to_string(w[i].step) + " event " +
                       std::to_string(w[i].event) + " comment " + std::to_string(w[i].comment);
            }
        }
    }
    return "";
}

// A ProgramBuilder as the Controller holds it, and a frame's copy of its programs kept up to
// date with CopyTo: both are checked against a fresh BuildPrograms after every update.
struct Follower {
    ui::ProgramBuilder builder;
    std::vector<ui::ActorProgram> copy;
    int copy_generation = -1;
    core::Lang copy_lang = core::Lang::kEn;
    ui::CodeLanguage copy_code = ui::CodeLanguage::kC;
    size_t copy_events = 0;
    size_t updates = 0;

    // The programs checked, as BuildPrograms gives them.
    std::vector<ui::ActorProgram> Check(const std::vector<core::ScriptStep>& script,
                                        const std::vector<ui::ActorInfo>& actors,
                                        const core::LogView& log, core::Lang lang, int generation,
                                        ui::CodeLanguage code = ui::CodeLanguage::kC) {
        const std::vector<ui::ActorProgram>& got =
            builder.Update(script, actors, log, lang, generation, code);
        std::vector<ui::ActorProgram> want = ui::BuildPrograms(script, actors, log, lang, code);
        EXPECT_EQ(Difference(got, want), "") << "after " << log.size() << " events";
        builder.CopyTo(copy, copy_generation, copy_lang, copy_events, copy_code);
        EXPECT_EQ(Difference(copy, want), "") << "the frame's copy, after " << log.size();
        copy_generation = generation;
        copy_lang = lang;
        copy_code = code;
        copy_events = log.size();
        ++updates;
        return want;
    }
};

std::string AllText(const std::vector<ui::ActorProgram>& programs) {
    std::string out;
    for (const ui::ActorProgram& p : programs) out += Text(p);
    return out;
}

uint16_t PortOf(const core::LogView& log, const std::string& name) {
    const core::SocketView* v = core::FindSocketByName(log.back().sockets, name);
    return v && v->local ? v->local->port : 0;
}

TEST(ProgramBuilder, FreeModeCallByCallIsWhatAFullBuildWrites) {
    using core::CallKind;
    core::Session session;
    const std::vector<ui::ActorInfo> actors{{"server", core::Role::kServer},
                                            {"client-a", core::Role::kClient},
                                            {"client-b", core::Role::kClient},
                                            {"idle", core::Role::kClient}};
    for (const ui::ActorInfo& a : actors) session.AddActor({a.name, a.role, core::Family::kInet});
    const std::vector<core::ScriptStep> script;  // free play: no script
    Follower follower;
    follower.Check(script, actors, session.Log(), core::Lang::kEn, 1);
    const std::string long_data(60, 'x');
    auto bind = [](const std::string& socket) {
        auto r = Request(CallKind::kBind, socket);
        r.args.address.host = "127.0.0.1";  // port 0: the kernel picks, the log tells
        return r;
    };
    auto by_peer = [](CallKind call, const std::string& socket, const std::string& peer) {
        auto r = Request(call, socket);
        r.args.address.peer = peer;
        return r;
    };
    auto udp = [](const std::string& name) {
        auto r = Request(CallKind::kSocket, "", name);
        r.args.type = core::SockType::kDgram;
        return r;
    };
    auto listen = Request(CallKind::kListen, "listener");
    listen.args.backlog = 8;
    auto send = Request(CallKind::kSend, "a");
    send.args.data = long_data;
    auto recv = Request(CallKind::kRecv, "conn");
    recv.args.size = 100;
    auto sendto_long = by_peer(CallKind::kSendto, "bu", "u");
    sendto_long.args.data = long_data + "y";
    auto sendto_short = by_peer(CallKind::kSendto, "bu", "u");
    sendto_short.args.data = "hi";
    const std::vector<std::pair<int, core::CallRequest>> calls{
        {0, Request(CallKind::kSocket, "", "listener")},
        {0, bind("listener")},
        {0, listen},
        {1, Request(CallKind::kSocket, "", "a")},
        {1, by_peer(CallKind::kConnect, "a", "listener")},
        {2, Request(CallKind::kSocket, "", "b")},
        {2, by_peer(CallKind::kConnect, "b", "listener")},
        {0, Request(CallKind::kAccept, "listener", "conn")},
        {1, send},
        {1, send},
        {0, recv},
        {0, udp("u")},
        {0, bind("u")},
        {2, udp("bu")},
        {2, bind("bu")},
        {2, sendto_long},
        // The name "u" again, on a new socket with a new port: the sendto written before
        // shows the new one (as a full build does, which knows only the latest).
        {0, Request(CallKind::kClose, "u")},
        {0, udp("u")},
        {0, bind("u")},
        {2, sendto_short},
        {1, Request(CallKind::kGetsockname, "a")},
        {1, Request(CallKind::kClose, "a")},
        {0, Request(CallKind::kClose, "conn")},
    };
    uint16_t first_u = 0;
    for (size_t i = 0; i < calls.size(); ++i) {
        SCOPED_TRACE("call " + std::to_string(i) + ": " + ui::CallLabel(calls[i].second));
        ASSERT_EQ(session.Call(calls[i].first, calls[i].second), core::StepOutcome::kReturned);
        const core::LogView log = session.Log();
        const auto programs = follower.Check(script, actors, log, core::Lang::kEn, 1);
        if (i == 12) first_u = PortOf(log, "u");
        if (i == 15) {
            EXPECT_NE(AllText(programs).find("htons(" + std::to_string(first_u) + ")"),
                      std::string::npos);
        }
    }
    const core::LogView log = session.Log();
    const std::string text = AllText(follower.builder.Programs());
    // The sequence did what it is for: a peer's real port, a long buffer, the idle actor's
    // placeholder, the comment over free-mode calls.
    EXPECT_NE(text.find("htons(" + std::to_string(PortOf(log, "listener")) + ")"),
              std::string::npos);
    EXPECT_NE(text.find("htons(" + std::to_string(PortOf(log, "u")) + ")"), std::string::npos);
    EXPECT_NE(text.find("char data1[60];"), std::string::npos);
    EXPECT_EQ(Text(follower.builder.Programs()[3]),
              std::string(ui::Tr(ui::Text::kCodeNoProgram, core::Lang::kEn)) + "\n");
    EXPECT_EQ(follower.builder.Programs()[1].lines.front().text,
              ui::Tr(ui::Text::kCodeFree, core::Lang::kEn));
    // Only appended calls were written, not every program on every call: the first update, and
    // at most the new port of "u" in a line already written.
    EXPECT_LE(follower.builder.FullBuilds(), 2u);
    // Events that come later on their own (packets the kernel sends) are taken as well.
    follower.Check(script, actors, session.Log(), core::Lang::kEn, 1);
}

TEST(ProgramBuilder, ALessonStepByStepAndALanguageSwitch) {
    core::Session session;
    SetUpHandshake(session);
    const std::vector<ui::ActorInfo> actors{{"server", core::Role::kServer},
                                            {"client", core::Role::kClient}};
    const std::vector<core::ScriptStep> script = core::ToScript(HandshakeLesson());
    Follower follower;
    follower.Check(script, actors, session.Log(), core::Lang::kEn, 1);
    EXPECT_NE(AllText(follower.builder.Programs()).find("htons(PORT)"), std::string::npos);
    for (size_t step = 0; step < script.size(); ++step) {
        SCOPED_TRACE("step " + std::to_string(step));
        RunSteps(session, step + 1);  // the steps run so far, one more each time
        const core::Lang lang = step % 3 == 2 ? core::Lang::kKo : core::Lang::kEn;
        follower.Check(script, actors, session.Log(), lang, 1);
    }
    // The connect written before the run now shows the listener's real port.
    const core::LogView log = session.Log();
    EXPECT_NE(AllText(follower.builder.Programs())
                  .find("htons(" + std::to_string(PortOf(log, "listener")) + ")"),
              std::string::npos);
    // A free-mode call after the lesson, in Korean, then English again with nothing new.
    core::CallRequest extra = Request(core::CallKind::kGetsockname, "client");
    session.Call(1, extra);
    follower.Check(script, actors, session.Log(), core::Lang::kKo, 1);
    EXPECT_NE(
        AllText(follower.builder.Programs()).find(ui::Tr(ui::Text::kCodeFree, core::Lang::kKo)),
        std::string::npos);
    follower.Check(script, actors, session.Log(), core::Lang::kEn, 1);
    // Reset: a new generation and an empty log, stepped again.
    session.Reset();
    follower.Check(script, actors, session.Log(), core::Lang::kEn, 2);
    EXPECT_NE(AllText(follower.builder.Programs()).find("htons(PORT)"), std::string::npos);
    RunSteps(session, 3);
    follower.Check(script, actors, session.Log(), core::Lang::kEn, 2);
}

// The Python view: the same steps on the same lines as C, the socket module's spelling.
TEST(PythonProgram, TheHandshakeAsABeginnerWritesItWithTheSocketModule) {
    core::Session session;
    SetUpHandshake(session);
    const std::vector<ui::ActorInfo> actors{{"server", core::Role::kServer},
                                            {"client", core::Role::kClient}};
    const std::vector<core::ScriptStep> script = core::ToScript(HandshakeLesson());
    RunSteps(session, script.size());
    const core::LogView log = session.Log();
    const auto python =
        ui::BuildPrograms(script, actors, log, core::Lang::kEn, ui::CodeLanguage::kPython);
    const auto c = ui::BuildPrograms(script, actors, log, core::Lang::kEn);
    ASSERT_EQ(python.size(), 2u);
    const std::string server = Text(python[0]);
    const std::string client = Text(python[1]);
    EXPECT_NE(server.find("listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"),
              std::string::npos);
    EXPECT_NE(server.find("listener.listen(5)\n"), std::string::npos);
    EXPECT_NE(server.find("conn, addr = listener.accept()\n"), std::string::npos);
    EXPECT_NE(server.find("data = conn.recv("), std::string::npos);
    EXPECT_NE(client.find("client.sendall(b\"hello\")\n"), std::string::npos);
    // The listener's real port, as in C.
    EXPECT_NE(client.find("client.connect((\"127.0.0.1\", " +
                          std::to_string(PortOf(log, "listener")) + "))  # listener's port"),
              std::string::npos);
    EXPECT_EQ(server.find("/*"), std::string::npos);
    // Every step of each actor has its line in both languages, so the highlight follows.
    for (size_t a = 0; a < 2; ++a) {
        std::set<int> python_steps;
        std::set<int> c_steps;
        for (const ui::CodeLine& l : python[a].lines) python_steps.insert(l.step);
        for (const ui::CodeLine& l : c[a].lines) c_steps.insert(l.step);
        EXPECT_EQ(python_steps, c_steps) << actors[a].name;
    }
}

TEST(ProgramBuilder, SwitchingBetweenCAndPythonIsWhatAFullBuildWrites) {
    core::Session session;
    SetUpHandshake(session);
    const std::vector<ui::ActorInfo> actors{{"server", core::Role::kServer},
                                            {"client", core::Role::kClient}};
    const std::vector<core::ScriptStep> script = core::ToScript(HandshakeLesson());
    Follower follower;
    for (size_t step = 0; step < script.size(); ++step) {
        SCOPED_TRACE("step " + std::to_string(step));
        RunSteps(session, step + 1);
        const ui::CodeLanguage code =
            step % 2 == 0 ? ui::CodeLanguage::kPython : ui::CodeLanguage::kC;
        follower.Check(script, actors, session.Log(), core::Lang::kEn, 1, code);
        // The same again: only the new events (none) are written.
        follower.Check(script, actors, session.Log(), core::Lang::kEn, 1, code);
    }
    // A free-mode call in the Python view: its comment is a Python comment.
    session.Call(1, Request(core::CallKind::kGetsockname, "client"));
    follower.Check(script, actors, session.Log(), core::Lang::kKo, 1, ui::CodeLanguage::kPython);
    const std::string text = AllText(follower.builder.Programs());
    EXPECT_NE(text.find("# 자유 실습\nname = client.getsockname()\n"), std::string::npos) << text;
}

TEST(ProgramBuilder, ANewActorAndItsFirstCall) {
    using core::CallKind;
    core::Session session;
    std::vector<ui::ActorInfo> actors{{"server", core::Role::kServer},
                                      {"client", core::Role::kClient}};
    for (const ui::ActorInfo& a : actors) session.AddActor({a.name, a.role, core::Family::kInet});
    const std::vector<core::ScriptStep> script;
    Follower follower;
    ASSERT_EQ(session.Call(0, Request(CallKind::kSocket, "", "s0")), core::StepOutcome::kReturned);
    follower.Check(script, actors, session.Log(), core::Lang::kEn, 1);
    actors.push_back({"client2", core::Role::kClient});
    session.AddActor({"client2", core::Role::kClient, core::Family::kInet});
    follower.Check(script, actors, session.Log(), core::Lang::kEn, 1);
    EXPECT_EQ(Text(follower.builder.Programs()[2]),
              std::string(ui::Tr(ui::Text::kCodeNoProgram, core::Lang::kEn)) + "\n");
    ASSERT_EQ(session.Call(2, Request(CallKind::kSocket, "", "s2")), core::StepOutcome::kReturned);
    follower.Check(script, actors, session.Log(), core::Lang::kEn, 1);
    const std::vector<ui::CodeLine>& lines = follower.builder.Programs()[2].lines;
    ASSERT_EQ(lines.size(), 2u);  // the placeholder went: the comment and the call
    EXPECT_EQ(lines[1].text, "int s2 = socket(AF_INET, SOCK_STREAM, 0);");
    ASSERT_EQ(session.Call(1, Request(CallKind::kSocket, "", "s1")), core::StepOutcome::kReturned);
    follower.Check(script, actors, session.Log(), core::Lang::kEn, 1);
}

TEST(ProgramBuilder, AReplayWritesEveryCallOfTheLog) {
    // A replay has no script: every call of the log is the program, step by step as it grows.
    core::Session session;
    SetUpHandshake(session);
    const std::vector<ui::ActorInfo> actors{{"server", core::Role::kServer},
                                            {"client", core::Role::kClient}};
    const std::vector<core::ScriptStep> none;
    Follower follower;
    for (size_t step = 0; step < 10; ++step) {
        SCOPED_TRACE("step " + std::to_string(step));
        RunSteps(session, step + 1);  // the steps run so far, one more each time
        follower.Check(none, actors, session.Log(), core::Lang::kEn, 1);
    }
    const std::string text = AllText(follower.builder.Programs());
    EXPECT_NE(text.find("send(client, \"hello\", 5, 0);"), std::string::npos);
    EXPECT_EQ(text.find(ui::Tr(ui::Text::kCodeFree, core::Lang::kEn)), std::string::npos);
    // Every line is a call of the log, with its step.
    for (const ui::CodeLine& l : follower.builder.Programs()[1].lines) EXPECT_GE(l.step, 0);
}

TEST(CProgram, OneCallAsC) {
    core::CallRequest r;
    r.call = core::CallKind::kSetsockopt;
    r.socket = "s";
    r.args.option = core::SockOpt::kLinger;
    r.args.value = 1;
    r.args.linger_seconds = 0;
    EXPECT_EQ(
        ui::CallAsC(r),
        "struct linger lg = { 1, 0 };\nsetsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);");
    r.call = core::CallKind::kShutdown;
    r.args.how = core::ShutHow::kWr;
    EXPECT_EQ(ui::CallAsC(r), "shutdown(s, SHUT_WR);");
    EXPECT_EQ(ui::CallAsC(r, ui::CodeLanguage::kPython), "s.shutdown(socket.SHUT_WR)");
}

TEST(CProgram, EachVariableIsDeclaredOnceAndPollWatchesEveryEvent) {
    // Two options, two lingers, two polls and reads of different sizes in one program: the
    // panel shows C that would compile (declared once, assigned after; one buffer that fits).
    using core::CallKind;
    std::vector<core::ScriptStep> script;
    auto opt = Request(CallKind::kSetsockopt, "conn-a");
    script.push_back({0, Request(CallKind::kSocket, "", "conn-a")});
    script.push_back({0, opt});
    opt.args.option = core::SockOpt::kTcpNodelay;
    script.push_back({0, opt});
    opt.args.option = core::SockOpt::kLinger;
    script.push_back({0, opt});
    opt.args.value = 0;
    script.push_back({0, opt});
    auto poll = Request(CallKind::kPoll, "");
    poll.args.poll_sockets = {"conn-a"};
    poll.args.poll_events = {"POLLIN", "POLLOUT"};
    script.push_back({0, poll});
    script.push_back({0, poll});
    auto recv = Request(CallKind::kRecv, "conn-a");
    recv.args.size = 16;
    script.push_back({0, recv});
    recv.args.size = 4096;
    script.push_back({0, recv});
    const auto programs = ui::BuildPrograms(script, {{"server", core::Role::kServer}},
                                            core::LogView(), core::Lang::kEn);
    const std::string text = Text(programs[0]);
    EXPECT_NE(text.find("int conn_a = socket(AF_INET, SOCK_STREAM, 0);"), std::string::npos);
    EXPECT_NE(text.find("int opt = 1;\nsetsockopt(conn_a, SOL_SOCKET, SO_REUSEADDR"),
              std::string::npos);
    EXPECT_NE(text.find("\nopt = 1;\nsetsockopt(conn_a, IPPROTO_TCP, TCP_NODELAY"),
              std::string::npos);
    EXPECT_NE(text.find("struct linger lg = { 1, 0 };"), std::string::npos);
    EXPECT_NE(text.find("lg = (struct linger){ 0, 0 };"), std::string::npos);
    EXPECT_NE(text.find("struct pollfd fds[] = { { .fd = conn_a, .events = POLLIN | POLLOUT } };"),
              std::string::npos);
    EXPECT_NE(text.find("struct pollfd fds2[]"), std::string::npos);
    EXPECT_NE(text.find("char buf[4096];"), std::string::npos);
    EXPECT_NE(text.find("ssize_t n = recv(conn_a, buf, 16, 0);"), std::string::npos);
    EXPECT_NE(text.find("\nn = recv(conn_a, buf, sizeof buf, 0);"), std::string::npos);
}

}  // namespace
}  // namespace sockstep::testing
