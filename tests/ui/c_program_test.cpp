// The code panel's C programs: one per actor, a line per call as a learner writes it, each
// line knowing its step, the real port of a peer filled in from the log.
#include "sockstep/ui/c_program.h"

#include <gtest/gtest.h>

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
