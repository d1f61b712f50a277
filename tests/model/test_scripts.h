// Test helper: scripts for a real Session, built by hand, the way a lesson file would describe
// them (the UI tests must not depend on which lesson files exist).
#pragma once

#include <string>
#include <vector>

#include "sockstep/core/lesson.h"
#include "sockstep/core/session.h"
#include "sockstep/model/controller.h"

namespace sockstep::testing {

// Adds "server" (0) and "client" (1) to `session` and gives it the handshake script:
// server socket/bind/listen/accept, client socket/connect, send, recv, close, close.
void SetUpHandshake(core::Session& session);

// Runs `session`'s next script steps until `count` steps have run, waiting for a busy actor the
// way a real program would.
void RunSteps(core::Session& session, size_t count);

// The handshake as a lesson: the same ten steps, narrated, with a prediction question before
// the client's connect() (step 5: the right answer is choice 1).
core::Lesson HandshakeLesson();

// A built-in lesson (assets/lessons/`file`) run on the kernel for its first `steps` steps.
class LessonLog {
  public:
    LessonLog(const std::string& file, size_t steps);
    core::LogView Log() { return m_controller.session()->Log(); }

  private:
    core::Lesson m_lesson;
    ui::Controller m_controller{std::nullopt};
};

core::CallRequest Request(core::CallKind call, std::string socket, std::string result = "");

}  // namespace sockstep::testing
