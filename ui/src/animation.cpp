// The animations: a call travelling from its code line to the socket it acted on, a connection
// request or bytes crossing the wire, a new socket sliding out of its listener after accept().
// They start from events already in the log and only point at what changed.
#include "sockstep/ui/animation.h"

#include <algorithm>
#include <cmath>

#include "sockstep/core/address.h"

namespace sockstep::ui {
namespace {

using core::CallKind;
using core::Phase;

// Events that arrive in one burst (a whole lesson played at once) animate only their end.
constexpr size_t kMaxBurst = 6;

float EaseOut(float t) {
    return 1.0f - (1.0f - t) * (1.0f - t);
}

ImVec2 Lerp(ImVec2 a, ImVec2 b, float t) {
    return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
}

// The peer of socket `id` in the event's snapshot: the socket whose local address is its remote.
int PeerOf(const core::Event& e, int id) {
    const core::SocketView* self = core::FindSocket(e.sockets, id);
    if (!self || !self->remote || !self->local) return -1;
    for (const core::SocketView& v : e.sockets) {
        if (v.id != id && v.local && v.remote && *v.local == *self->remote &&
            *v.remote == *self->local) {
            return v.id;
        }
    }
    return -1;
}

size_t EnterOf(const core::LogView& log, size_t index) {
    const int actor = log[index].actor;
    for (size_t i = index + 1; i-- > 0;) {
        if (log[i].actor == actor && log[i].phase == Phase::kEnter) return i;
    }
    return static_cast<size_t>(-1);
}

}  // namespace

void Animator::OnEvents(const core::LogView& log, size_t from, size_t to) {
    to = std::min(to, log.size());
    if (to > from + kMaxBurst) from = to - kMaxBurst;
    for (size_t i = from; i < to; ++i) {
        const core::Event& e = log[i];
        if (e.phase != Phase::kReturn && e.phase != Phase::kBlocked) continue;
        Animation pulse;
        pulse.kind = AnimationKind::kCallPulse;
        pulse.code_step = e.step;
        if (e.step < 0) pulse.code_event = EnterOf(log, i);
        pulse.to_socket = e.result_socket_id >= 0 ? e.result_socket_id : e.socket_id;
        pulse.duration = 0.6f;
        if (pulse.to_socket >= 0) m_items.push_back(pulse);
        if (e.phase != Phase::kReturn || e.err != 0) continue;
        const CallKind call = e.request.call;
        if (call == CallKind::kConnect) {
            const int peer = PeerOf(e, e.socket_id);
            if (peer >= 0) {
                Animation a;
                a.kind = AnimationKind::kRequest;
                a.from_socket = e.socket_id;
                a.to_socket = peer;
                a.duration = 0.9f;
                m_items.push_back(a);
            }
        } else if ((call == CallKind::kSend || call == CallKind::kWrite ||
                    call == CallKind::kSendto) &&
                   e.ret > 0) {
            const int peer = PeerOf(e, e.socket_id);
            if (peer >= 0) {
                Animation a;
                a.kind = AnimationKind::kData;
                a.from_socket = e.socket_id;
                a.to_socket = peer;
                a.label = std::to_string(e.ret) + " B";
                a.duration = 0.9f;
                m_items.push_back(a);
            }
        } else if (call == CallKind::kAccept && e.result_socket_id >= 0) {
            Animation a;
            a.kind = AnimationKind::kSplit;
            a.from_socket = e.socket_id;
            a.to_socket = e.result_socket_id;
            a.duration = 0.7f;
            m_items.push_back(a);
        }
    }
}

bool Animator::Update(float dt) {
    m_items.erase(std::remove_if(m_items.begin(), m_items.end(),
                                 [dt](Animation& a) { return !a.Update(dt); }),
                  m_items.end());
    return !m_items.empty();
}

ImVec2 Animator::CardOffset(int socket_id, ImVec2 place, const Layout& layout) const {
    for (const Animation& a : m_items) {
        if (a.kind != AnimationKind::kSplit || a.to_socket != socket_id) continue;
        auto from = layout.cards.find(a.from_socket);
        if (from == layout.cards.end()) continue;
        return Lerp(from->second.min, place, EaseOut(a.Progress()));
    }
    return place;
}

void Animator::Draw(ImDrawList* draw, const Layout& layout, ImU32 colour, ImU32 text_colour) const {
    const float fs = ImGui::GetFontSize();
    for (const Animation& a : m_items) {
        auto to = layout.cards.find(a.to_socket);
        if (to == layout.cards.end()) continue;
        const float t = EaseOut(a.Progress());
        ImVec2 start;
        ImVec2 end = to->second.Center();
        switch (a.kind) {
            case AnimationKind::kCallPulse: {
                // A ring that closes in on the card the call acted on, drawn just outside it:
                // no dot travels over the code, the narration or a card's words.
                const ScreenRect& r = to->second;
                const float d = fs * 0.25f * (1.0f - t) + 2.0f;
                const auto alpha = static_cast<unsigned>(255 * (1.0f - 0.6f * t));
                draw->AddRect(ImVec2(r.min.x - d, r.min.y - d), ImVec2(r.max.x + d, r.max.y + d),
                              (colour & 0x00FFFFFF) | (alpha << 24), fs * 0.4f, 0, 2.5f);
                continue;
            }
            case AnimationKind::kSplit:
                continue;  // drawn by moving the card itself (CardOffset)
            case AnimationKind::kRequest:
            case AnimationKind::kData: {
                auto from = layout.cards.find(a.from_socket);
                if (from == layout.cards.end()) continue;
                const bool rightwards = from->second.Center().x < to->second.Center().x;
                start = ImVec2(rightwards ? from->second.max.x : from->second.min.x,
                               from->second.min.y + fs * 1.9f);
                end = ImVec2(rightwards ? to->second.min.x : to->second.max.x,
                             to->second.min.y + fs * 1.9f);
                break;
            }
        }
        const ImVec2 p = Lerp(start, end, t);
        // A short fading trail behind the dot shows the direction.
        for (int i = 4; i >= 1; --i) {
            const ImVec2 q = Lerp(start, end, std::max(0.0f, t - 0.04f * static_cast<float>(i)));
            const auto alpha = static_cast<unsigned>(50 * (5 - i));
            draw->AddCircleFilled(q, fs * (0.35f - 0.05f * static_cast<float>(i)),
                                  (colour & 0x00FFFFFF) | (alpha << 24));
        }
        draw->AddCircleFilled(p, fs * 0.4f, colour);
        draw->AddCircle(p, fs * 0.4f, text_colour, 0, 1.5f);
        if (!a.label.empty()) {
            draw->AddText(ImVec2(p.x - fs, p.y - fs * 1.6f), text_colour, a.label.c_str());
        }
    }
}

}  // namespace sockstep::ui
