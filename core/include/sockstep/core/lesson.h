// Lessons: a small script of real calls with a narration in Korean and English, read from a
// TOML file (format: docs/LESSONS.md) and validated before anything runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sockstep/core/address.h"
#include "sockstep/core/api_state.h"
#include "sockstep/core/call.h"
#include "sockstep/core/event.h"
#include "sockstep/core/event_log.h"
#include "sockstep/core/lang.h"
#include "sockstep/core/session.h"
#include "sockstep/core/tcp_state.h"

namespace sockstep::core {

struct LocalizedText {
    std::string en;
    std::string ko;
    const std::string& Get(Lang lang) const { return lang == Lang::kKo ? ko : en; }
};

struct LessonActor {
    std::string name;
    Role role = Role::kServer;
    Family family = Family::kInet;
};

// What the kernel should say about one named socket after a step.
struct StateExpect {
    std::string socket;
    std::optional<TcpState> tcp;
    std::optional<ApiState> api;
    std::optional<int> accept_queue;
    std::optional<int> inq;
    // Further TCP states that also satisfy `tcp`: a transition driven by a kernel timer (the
    // delayed ACK that turns FIN-WAIT-1 into FIN-WAIT-2) may or may not have happened yet.
    std::vector<TcpState> tcp_or;
    // States that hold too when the other end closed first (`tcp_if_peer_closed`): a client that
    // sends and closes at once is CLOSE-WAIT by the time accept() returns. The check says so.
    std::vector<TcpState> tcp_if_peer_closed;
    // The kernel having forgotten the socket also holds when the peer closed first (the last
    // ACK came already). Not in the file format: `trace --connect` sets it for the clients.
    bool gone_if_peer_closed = false;
    int line = 0;  // where this expectation is written, for messages
};

struct Expect {
    std::optional<int> err;  // 0: success; else the errno the call must give
    std::vector<StateExpect> states;
    std::optional<int64_t> ret;       // the exact return value (bytes, ready descriptors)
    std::optional<std::string> data;  // recv/read/recvfrom: the exact bytes received
    int line = 0;                     // where the expect table starts
};

struct Question {
    LocalizedText prompt;
    std::vector<LocalizedText> choices;
    int answer = 0;  // index into choices
    LocalizedText explanation;
};

struct LessonStep {
    int actor = 0;
    CallRequest request;
    LocalizedText narration;
    std::optional<Expect> expect;
    std::optional<Question> question;
    // accept() only: this step waits for a real program outside sockstep (nc, curl, a browser).
    // Front ends print OutsideClientCommands() with the listener's real port while it waits.
    bool outside_client = false;
    // Sockets the stage shows whole at this step besides those the call uses (names).
    std::vector<std::string> focus;
    int line = 0;  // where the step starts in the file, for messages
};

struct Lesson {
    std::string id;
    LocalizedText title;
    LocalizedText summary;
    std::vector<LessonActor> actors;
    std::vector<LessonStep> steps;
    std::filesystem::path path;
};

struct LessonError {
    std::string file;
    int line = 0;
    int column = 0;
    std::string message;         // what is wrong and how to fix it
    std::string Format() const;  // "file:line:column: error: message"
};

using LessonResult = std::variant<Lesson, std::vector<LessonError>>;

// Parses and validates; any error means nothing may run.
LessonResult ParseLesson(std::string_view text, const std::string& source_name);
LessonResult LoadLesson(const std::filesystem::path& path);

// The built-in lesson files under `asset_dir`/lessons, in teaching order.
std::vector<std::filesystem::path> BuiltinLessonFiles(const std::filesystem::path& asset_dir);
// FindLesson (lesson_catalog.h) among the built-in lessons only: for tests and tools that
// must not see a teacher's folders.
LessonResult FindLesson(const std::string& id_or_path, const std::filesystem::path& asset_dir);

// The lesson's steps as the Session's script; actors are added in the lesson's order.
std::vector<ScriptStep> ToScript(const Lesson& lesson);
void AddActors(Session& session, const Lesson& lesson);

struct ExpectCheck {
    bool held = true;
    std::string expected;  // in English, for the trace and the UI
    std::string actual;
    bool peer_closed = false;  // held only through a state the peer's closing first causes
};
// Checks a step's expectation against its Return event (ret/errno and the snapshot after it).
// Socket names are looked up in the snapshot, then among the sockets this event acted on.
ExpectCheck CheckExpect(const Expect& expect, const Event& returned);
// The same, but a name is also found through the events of `log`: after close() a connection
// lives on in the kernel (FIN-WAIT-2, TIME-WAIT) with no name in the snapshot, and only the log
// knows which socket id the name had. Names given before `returned` win; a name given later
// (an accept() that logs its return just after the step that woke it) still resolves, since a
// connection keeps its id.
ExpectCheck CheckExpect(const Expect& expect, const Event& returned, const LogView& log);
// The expectation in words (English), as CheckExpect's `expected`.
std::string DescribeExpect(const Expect& expect);

// The commands a learner can type in another terminal to be the client of a listener bound to
// `listener`: {"nc 127.0.0.1 43211", "curl http://127.0.0.1:43211/"}.
std::vector<std::string> OutsideClientCommands(const Endpoint& listener);

}  // namespace sockstep::core
