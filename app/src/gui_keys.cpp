// The GLFW key codes behind the UI's shortcuts. Kept here so ui/ needs no GLFW header.
#include "gui_keys.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

namespace sockstep::app {

ui::KeyCodes GlfwKeyCodes() {
    ui::KeyCodes k;
    k.space = GLFW_KEY_SPACE;
    k.left = GLFW_KEY_LEFT;
    k.right = GLFW_KEY_RIGHT;
    k.home = GLFW_KEY_HOME;
    k.end = GLFW_KEY_END;
    k.r = GLFW_KEY_R;
    k.p = GLFW_KEY_P;
    k.l = GLFW_KEY_L;
    k.k = GLFW_KEY_K;
    k.f1 = GLFW_KEY_F1;
    k.f11 = GLFW_KEY_F11;
    k.escape = GLFW_KEY_ESCAPE;
    k.equal = GLFW_KEY_EQUAL;
    k.minus = GLFW_KEY_MINUS;
    k.kp_add = GLFW_KEY_KP_ADD;
    k.kp_subtract = GLFW_KEY_KP_SUBTRACT;
    k.slash = GLFW_KEY_SLASH;
    k.o = GLFW_KEY_O;
    return k;
}

}  // namespace sockstep::app
