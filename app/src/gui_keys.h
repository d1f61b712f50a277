// The GLFW key codes the UI's shortcuts use (ImGui 1.86 indexes io.KeysDown by them).
#pragma once

#include "sockstep/ui/frame.h"

namespace sockstep::app {

ui::KeyCodes GlfwKeyCodes();

}  // namespace sockstep::app
