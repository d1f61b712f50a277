// Test helpers: the handshake script built by hand, a built-in lesson run on the kernel.
#include "test_scripts.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <utility>
#include <variant>

namespace sockstep::testing {

core::CallRequest Request(core::CallKind call, std::string socket, std::string result) {
    core::CallRequest r;
    r.call = call;
    r.socket = std::move(socket);
    r.result = std::move(result);
    return r;
}

void SetUpHandshake(core::Session& session) {
    using core::CallKind;
    const int server = session.AddActor({"server", core::Role::kServer, core::Family::kInet});
    const int client = session.AddActor({"client", core::Role::kClient, core::Family::kInet});
    std::vector<core::ScriptStep> script;
    script.push_back({server, Request(CallKind::kSocket, "", "listener")});
    auto bind = Request(CallKind::kBind, "listener");
    bind.args.address.host = "127.0.0.1";
    script.push_back({server, bind});
    script.push_back({server, Request(CallKind::kListen, "listener")});
    script.push_back({server, Request(CallKind::kAccept, "listener", "conn")});
    script.push_back({client, Request(CallKind::kSocket, "", "client")});
    auto connect = Request(CallKind::kConnect, "client");
    connect.args.address.peer = "listener";
    script.push_back({client, connect});
    auto send = Request(CallKind::kSend, "client");
    send.args.data = "hello";
    script.push_back({client, send});
    script.push_back({server, Request(CallKind::kRecv, "conn")});
    script.push_back({client, Request(CallKind::kClose, "client")});
    script.push_back({server, Request(CallKind::kClose, "conn")});
    session.SetScript(std::move(script));
}

core::Lesson HandshakeLesson() {
    core::Lesson lesson;
    lesson.id = "handshake-test";
    lesson.title = {"Handshake (test)", "핸드셰이크 (테스트)"};
    lesson.summary = {"Server and client meet.", "서버와 클라이언트가 만납니다."};
    lesson.actors = {{"server", core::Role::kServer, core::Family::kInet},
                     {"client", core::Role::kClient, core::Family::kInet}};
    using core::CallKind;
    auto step = [&](int actor, core::CallRequest request, const char* en, const char* ko) {
        core::LessonStep s;
        s.actor = actor;
        s.request = std::move(request);
        s.narration = {en, ko};
        lesson.steps.push_back(std::move(s));
    };
    step(0, Request(CallKind::kSocket, "", "listener"), "A socket for the server.", "서버의 소켓.");
    auto bind = Request(CallKind::kBind, "listener");
    bind.args.address.host = "127.0.0.1";
    step(0, bind, "Give it an address.", "주소를 붙입니다.");
    step(0, Request(CallKind::kListen, "listener"), "Listen.", "리슨합니다.");
    step(0, Request(CallKind::kAccept, "listener", "conn"), "Wait for a client.",
         "클라이언트를 기다립니다.");
    step(1, Request(CallKind::kSocket, "", "client"), "A socket for the client.",
         "클라이언트의 소켓.");
    auto connect = Request(CallKind::kConnect, "client");
    connect.args.address.peer = "listener";
    step(1, connect, "Connect.", "연결합니다.");
    core::Question q;
    q.prompt = {"When does the handshake finish?", "핸드셰이크는 언제 끝날까요?"};
    q.choices = {{"When accept() runs", "accept()가 실행될 때"},
                 {"Inside connect(), before accept()", "accept() 전에 connect() 안에서"}};
    q.answer = 1;
    q.explanation = {"The kernel does it alone.", "커널이 혼자 처리합니다."};
    lesson.steps.back().question = q;
    auto send = Request(CallKind::kSend, "client");
    send.args.data = "hello";
    step(1, send, "Send.", "보냅니다.");
    step(0, Request(CallKind::kRecv, "conn"), "Receive.", "받습니다.");
    step(1, Request(CallKind::kClose, "client"), "Close.", "닫습니다.");
    step(0, Request(CallKind::kClose, "conn"), "Close.", "닫습니다.");
    return lesson;
}

void RunSteps(core::Session& session, size_t count) {
    while (session.NextStepIndex() < count) {
        if (session.StepNext() != core::StepOutcome::kBusy) continue;
        // Only the actor that owns the next step is waited for: another may stay blocked.
        const auto actors = session.Actors();
        for (size_t a = 0; a < actors.size(); ++a) {
            if (actors[a].next_step == session.NextStepIndex()) {
                session.WaitIdle(static_cast<int>(a));
            }
        }
    }
}

LessonLog::LessonLog(const std::string& file, size_t steps) {
    core::LessonResult loaded =
        core::LoadLesson(std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets/lessons" / file);
    EXPECT_TRUE(std::holds_alternative<core::Lesson>(loaded));
    m_lesson = std::get<core::Lesson>(std::move(loaded));
    m_controller.UseLesson(m_lesson);
    core::Session& session = *m_controller.session();
    RunSteps(session, steps);
    session.WaitIdle(m_lesson.steps[steps - 1].actor);
}

}  // namespace sockstep::testing
