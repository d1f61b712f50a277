// The keys the view answers to, as the window system delivers them. The app fills these from
// GLFW; the frame model does not carry them (the Controller never sees a key).
#pragma once

namespace sockstep::ui {

// The key codes the shortcuts use, as indexes into io.KeysDown. The app passes GLFW's codes
// (the GLFW backend fills KeysDown by them), so ui/ needs no GLFW header. -1: no such key.
struct KeyCodes {
    int space = -1;
    int left = -1;
    int right = -1;
    int home = -1;
    int end = -1;
    int r = -1;
    int p = -1;
    int l = -1;
    int k = -1;
    int f1 = -1;
    int f11 = -1;
    int escape = -1;
    int equal = -1;  // '=' and, with shift, '+'
    int minus = -1;
    int kp_add = -1;
    int kp_subtract = -1;
    int slash = -1;    // '/' and, with shift, '?'
    int o = -1;        // Ctrl+O: File → Open log
    int page_up = -1;  // what presenter clickers send for "back"
    int page_down = -1;
    int answer_digit[3] = {-1, -1, -1};   // 1, 2, 3: the question's first three choices
    int answer_keypad[3] = {-1, -1, -1};  // the same on the keypad
    int answer_letter[3] = {-1, -1, -1};  // A, B, C: the choices' own labels
};

// One key press (or typed character) from the window system. The app queues them in its GLFW
// callbacks and hands over one a frame: ImGui 1.86 keeps only key state (io.KeysDown), so a press
// and release between two frames would never be seen as a press.
struct KeyPress {
    int key = -1;          // a KeyCodes code; -1 for a typed character
    unsigned int chr = 0;  // the typed character when key is -1 ('+', '-', '?' on any layout)
    bool repeat = false;   // held down: the system's key repeat
    bool shift = false;
    bool ctrl = false;
    bool alt = false;
    bool super = false;
};

}  // namespace sockstep::ui
