// The GLFW key codes the UI's shortcuts use, and the queue of presses GLFW's callbacks fill
// between frames (ImGui 1.86 only keeps key state, which a tap shorter than a frame never
// changes as seen from the next frame).
#pragma once

#include <cstddef>
#include <deque>
#include <optional>

#include "sockstep/ui/keys.h"

namespace sockstep::app {

ui::KeyCodes GlfwKeyCodes();
// A GLFW key callback's press or repeat (key, action, mods) as the UI sees it.
ui::KeyPress GlfwKeyPress(int key, int action, int mods);
// A GLFW char callback's character.
ui::KeyPress GlfwCharPress(unsigned int codepoint);

// Presses in the order they came; the frame loop hands the UI one a frame, so each press sees
// what the one before it did (a second Space after a step that blocks is judged as busy).
class KeyQueue {
  public:
    void Push(const ui::KeyPress& press);
    std::optional<ui::KeyPress> Pop();
    bool Empty() const { return m_presses.empty(); }

  private:
    // A stuck key or a flood of events must not grow memory without bound.
    static constexpr size_t kMaxQueued = 256;
    std::deque<ui::KeyPress> m_presses;
};

}  // namespace sockstep::app
