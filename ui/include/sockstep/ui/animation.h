// Animations: small structs with Update(dt) returning "still active". They are drawn over a
// scene that already shows the final state: they never delay or reorder the log, only point
// at what just changed. dt is io.DeltaTime times the speed control.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <string>
#include <vector>

#include "sockstep/core/event_log.h"
#include "sockstep/ui/layout.h"

namespace sockstep::ui {

enum class AnimationKind : uint8_t {
    kCallPulse,  // a ring closing in on the socket the call acted on
    kRequest,    // a connection request crossing the wire, client to server
    kData,       // bytes crossing the wire (labelled with the count)
    kSplit,      // a new socket sliding out of its listener after accept()
};

struct Animation {
    AnimationKind kind = AnimationKind::kCallPulse;
    int from_socket = -1;  // socket ids: positions come from this frame's layout
    int to_socket = -1;
    int code_step = -1;                           // kCallPulse: the script step whose call it marks
    size_t code_event = static_cast<size_t>(-1);  // …or the free-mode call's Enter event
    std::string label;
    float t = 0.0f;
    float duration = 0.6f;

    bool Update(float dt) {
        t += dt;
        return t < duration;
    }
    float Progress() const { return duration > 0 ? (t < duration ? t / duration : 1.0f) : 1.0f; }
};

class Animator {
  public:
    // Starts the animations for events [from, to) of `log` (only the last few, when many
    // arrived at once: a burst is shown as its end).
    void OnEvents(const core::LogView& log, size_t from, size_t to);
    // Advances every animation; returns true while any is active (the loop keeps drawing).
    bool Update(float dt);
    bool Active() const { return !m_items.empty(); }
    void Clear() { m_items.clear(); }
    // Where a card should be drawn this frame: its place, or on its way out of the listener.
    ImVec2 CardOffset(int socket_id, ImVec2 place, const Layout& layout) const;
    void Draw(ImDrawList* draw, const Layout& layout, ImU32 colour, ImU32 text_colour) const;
    const std::vector<Animation>& Items() const { return m_items; }

  private:
    std::vector<Animation> m_items;
};

}  // namespace sockstep::ui
