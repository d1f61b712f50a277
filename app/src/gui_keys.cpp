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
    k.page_up = GLFW_KEY_PAGE_UP;
    k.page_down = GLFW_KEY_PAGE_DOWN;
    for (int i = 0; i < 3; ++i) {
        k.answer_digit[i] = GLFW_KEY_1 + i;
        k.answer_keypad[i] = GLFW_KEY_KP_1 + i;
        k.answer_letter[i] = GLFW_KEY_A + i;
    }
    k.o = GLFW_KEY_O;
    return k;
}

ui::KeyPress GlfwKeyPress(int key, int action, int mods) {
    ui::KeyPress p;
    p.key = key;
    p.repeat = action == GLFW_REPEAT;
    p.shift = (mods & GLFW_MOD_SHIFT) != 0;
    p.ctrl = (mods & GLFW_MOD_CONTROL) != 0;
    p.alt = (mods & GLFW_MOD_ALT) != 0;
    p.super = (mods & GLFW_MOD_SUPER) != 0;
    return p;
}

ui::KeyPress GlfwCharPress(unsigned int codepoint) {
    ui::KeyPress p;
    p.chr = codepoint;
    return p;
}

void KeyQueue::Push(const ui::KeyPress& press) {
    if (m_presses.size() < kMaxQueued) m_presses.push_back(press);
}

std::optional<ui::KeyPress> KeyQueue::Pop() {
    if (m_presses.empty()) return std::nullopt;
    ui::KeyPress p = m_presses.front();
    m_presses.pop_front();
    return p;
}

}  // namespace sockstep::app
