// The lifecycle diagram of one actor, drawn from the graph core's transition table gives
// (lifecycle.h): API states as boxes, successful calls as arrows. The transition the actor's
// latest call took is highlighted; states its open sockets are in are outlined.
#include "lifecycle_diagram.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

using core::ApiState;

const LifecycleGraph& GraphFor(core::SockType type) {
    // Built once per socket type: the table is constexpr data.
    static const LifecycleGraph kStream = BuildLifecycle(core::SockType::kStream);
    static const LifecycleGraph kDgram = BuildLifecycle(core::SockType::kDgram);
    return type == core::SockType::kStream ? kStream : kDgram;
}

std::string CallList(const std::vector<core::CallKind>& calls, size_t max) {
    std::string out;
    for (size_t i = 0; i < calls.size() && i < max; ++i) {
        out += (i ? " " : "") + std::string(core::CallName(calls[i])) + "()";
    }
    if (calls.size() > max) out += " …";
    return out;
}

struct Geometry {
    float node_h;
    float gap;
    float top;  // where rank 1 starts
};

Geometry Measure(const DrawContext& c) {
    const float fs = c.StageFs();
    return {fs * 1.35f, fs * 1.15f, fs * 1.3f + fs * 1.4f};
}

// The caption says which transition is highlighted: "listen() → Listening", or the call still
// waiting in the kernel.
void DrawCaption(const DrawContext& c, const SceneActor& actor, ImVec2 pos, float width) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.StageFs();
    // Each part whole, a little smaller if it must, else left out (the box of the state is
    // highlighted below): never cut with "…".
    if (actor.blocked) {
        const std::string call = std::string(core::CallName(actor.blocked->call)) + "()";
        const std::string waiting = call + " …";  // still in the kernel
        if (const float s = WholeSize(c.code, fs, waiting, width, fs * 0.75f); s > 0) {
            draw->AddText(c.code, s, pos, c.pal.warn, waiting.c_str());
        } else if (const float t = WholeSize(c.code, fs, call, width, fs * 0.6f); t > 0) {
            draw->AddText(c.code, t, pos, c.pal.warn, call.c_str());
        }
    } else if (actor.last_call) {
        const std::string call = std::string(core::CallName(*actor.last_call)) + "()";
        const std::string move = (actor.last_from == actor.last_to ? "⇄ " : "→ ") +
                                 std::string(ApiStateLabel(actor.last_to, c.lang));
        const float cs = WholeSize(c.code, fs, call, width, fs * 0.6f);
        if (cs <= 0) return;
        const float cw = c.code->CalcTextSizeA(cs, FLT_MAX, 0, call.c_str()).x;
        draw->AddText(c.code, cs, pos, c.pal.accent, call.c_str());
        const float room = width - cw - fs * 0.4f;
        if (const float ms = WholeSize(c.font, cs, move, room, fs * 0.75f); ms > 0) {
            draw->AddText(c.font, ms, ImVec2(pos.x + cw + fs * 0.4f, pos.y), c.pal.text,
                          move.c_str());
        }
    } else {
        draw->AddText(c.bold, fs, pos, c.pal.text_dim, c.T(Text::kDiagramTitle));
    }
}

// The strip's one line: "listen() → Listening", the call still waiting, or the diagram's title.
// Drawn when `draw`; wrapped at `width`; its height either way.
float StripText(const DrawContext& c, const SceneActor& actor, ImVec2 pos, float width,
                ImDrawList* draw) {
    const float fs = c.StageFs();
    std::string call;
    std::string move;
    ImU32 call_colour = c.pal.accent;
    if (actor.blocked) {
        // The pane's banner says it waits; the strip names the call.
        call = std::string(core::CallName(actor.blocked->call)) + "()";
        call_colour = c.pal.warn;
    } else if (actor.last_call) {
        call = std::string(core::CallName(*actor.last_call)) + "()";
        move = (actor.last_from == actor.last_to ? "⇄ " : "→ ") +
               std::string(ApiStateLabel(actor.last_to, c.lang));
    } else {
        move = c.T(Text::kDiagramTitle);
    }
    const float cw = call.empty() ? 0 : c.code->CalcTextSizeA(fs, FLT_MAX, 0, call.c_str()).x;
    const float mw = c.font->CalcTextSizeA(fs, FLT_MAX, 0, move.c_str()).x;
    const float gap = call.empty() || move.empty() ? 0 : fs * 0.4f;
    // Side by side when both fit, else the call and then the move on a line (or more) below.
    const bool one_line = cw + gap + mw <= width;
    if (draw && !call.empty()) draw->AddText(c.code, fs, pos, call_colour, call.c_str());
    if (move.empty()) return fs * 1.3f;
    const ImVec2 at = one_line ? ImVec2(pos.x + cw + gap, pos.y) : ImVec2(pos.x, pos.y + fs * 1.3f);
    if (draw) {
        draw->AddText(c.font, fs, at, c.pal.text, move.c_str(), nullptr, width);
    }
    const float h = c.font->CalcTextSizeA(fs, FLT_MAX, width, move.c_str()).y;
    return (at.y - pos.y) + h + fs * 0.3f;
}

}  // namespace

float LifecycleStripHeight(const DrawContext& c, const SceneActor& actor, float width) {
    return StripText(c, actor, ImVec2(0, 0), width - c.StageFs() * 0.8f, nullptr) +
           c.StageFs() * 0.3f;
}

void DrawLifecycleStrip(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width) {
    const float fs = c.StageFs();
    const float h = LifecycleStripHeight(c, actor, width);
    // A thin rule on the outer edge marks the strip as the diagram's stand-in.
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(ImVec2(pos.x, pos.y + fs * 0.15f),
                        ImVec2(pos.x + fs * 0.2f, pos.y + h - fs * 0.15f), c.pal.wire);
    StripText(c, actor, ImVec2(pos.x + fs * 0.6f, pos.y + fs * 0.15f), width - fs * 0.8f, draw);
    ImGui::SetCursorScreenPos(pos);
    ImGui::PushID(actor.index);
    ImGui::InvisibleButton("strip", ImVec2(std::max(1.0f, width), h));
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        const float w = fs * 12.0f;
        const ImVec2 at = ImGui::GetCursorScreenPos();
        ImGui::Dummy(ImVec2(w, LifecycleDiagramHeight(c, actor.type)));
        DrawLifecycleDiagram(c, actor, at, w, false);
        ImGui::EndTooltip();
    }
    ImGui::PopID();
}

float LifecycleDiagramHeight(const DrawContext& c, core::SockType type) {
    const LifecycleGraph& g = GraphFor(type);
    const Geometry m = Measure(c);
    const float rows = static_cast<float>(std::max(1, g.ranks - 1));
    return m.top + rows * m.node_h + (rows - 1) * m.gap + c.StageFs() * 0.5f;
}

void DrawLifecycleDiagram(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width,
                          bool interactive) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const LifecycleGraph& g = GraphFor(actor.type);
    const Geometry m = Measure(c);
    const float fs = c.StageFs();
    const float height = LifecycleDiagramHeight(c, actor.type);
    if (pos.y > draw->GetClipRectMax().y || pos.y + height < draw->GetClipRectMin().y) return;

    DrawCaption(c, actor, pos, width);

    // Node rectangles: single nodes span the width; ranks with two share it.
    std::map<ApiState, ScreenRect> rects;
    std::vector<int> per_rank(static_cast<size_t>(g.ranks), 0);
    for (const LifecycleNode& n : g.nodes) ++per_rank[static_cast<size_t>(n.rank)];
    const float gap_x = fs * 0.5f;
    for (const LifecycleNode& n : g.nodes) {
        if (n.state == ApiState::kNone) continue;
        const int count = per_rank[static_cast<size_t>(n.rank)];
        const float w = (width - gap_x * static_cast<float>(count - 1)) / static_cast<float>(count);
        const float x = pos.x + static_cast<float>(n.column) * (w + gap_x);
        const float y = pos.y + m.top + static_cast<float>(n.rank - 1) * (m.node_h + m.gap);
        rects[n.state] = {ImVec2(x, y), ImVec2(x + w, y + m.node_h)};
    }

    auto occupied = [&](ApiState s) {
        return std::any_of(actor.socket_states.begin(), actor.socket_states.end(),
                           [&](const auto& p) { return p.first == s; });
    };
    const bool has_last = actor.last_call.has_value() && !actor.blocked;
    auto is_last_edge = [&](ApiState from, ApiState to) {
        return has_last && actor.last_from == from && actor.last_to == to && from != to;
    };

    // The start: a dot, and socket() into the first state.
    const ImVec2 start(pos.x + width * 0.5f, pos.y + fs * 1.5f);
    for (const LifecycleEdge& e : g.edges) {
        if (e.from != ApiState::kNone || !rects.count(e.to)) continue;
        const bool hot = is_last_edge(e.from, e.to);
        const ImU32 colour = hot ? c.pal.accent : c.pal.wire;
        draw->AddCircleFilled(start, fs * 0.25f, colour);
        const ImVec2 tip(start.x, rects[e.to].min.y);
        draw->AddLine(start, ImVec2(tip.x, tip.y - 1), colour, hot ? 3.0f : 1.5f);
        Arrowhead(draw, start, tip, colour, fs * 0.4f);
        const std::string label = CallList(e.calls, 2);
        draw->AddText(c.code, fs, ImVec2(start.x + fs * 0.5f, start.y - fs * 0.1f),
                      hot ? c.pal.accent : c.pal.text_dim, label.c_str());
    }

    struct Label {
        ImVec2 at;
        float width;
        std::string text;
        bool hot;
    };
    std::vector<Label> labels;
    // Arrows between states. Adjacent ranks: straight, labelled; longer jumps (listen() without
    // bind()) curve along the outside, unlabelled (the same calls label the direct arrows).
    for (const LifecycleEdge& e : g.edges) {
        if (e.from == ApiState::kNone || !rects.count(e.from) || !rects.count(e.to)) continue;
        const ScreenRect& a = rects[e.from];
        const ScreenRect& b = rects[e.to];
        const bool hot = is_last_edge(e.from, e.to);
        const ImU32 colour = hot ? c.pal.accent : c.pal.wire;
        const float thick = hot ? 3.0f : 1.5f;
        const int jump = g.Find(e.to)->rank - g.Find(e.from)->rank;
        if (jump == 1) {
            const ImVec2 p1(std::clamp(b.Center().x, a.min.x + fs, a.max.x - fs), a.max.y);
            const ImVec2 p2(b.Center().x, b.min.y);
            draw->AddLine(p1, p2, colour, thick);
            Arrowhead(draw, p1, p2, colour, fs * 0.4f);
            // The call names sit on the arrow, on a small plate, so neighbours never overlap;
            // they are drawn after every arrow, so no line crosses a word.
            std::string label = CallList(e.calls, 2);
            const float lw = c.code->CalcTextSizeA(fs, FLT_MAX, 0, label.c_str()).x;
            const ImVec2 mid((p1.x + p2.x) * 0.5f, (p1.y + p2.y) * 0.5f);
            const float lx = std::clamp(mid.x - lw * 0.5f, pos.x, pos.x + width - lw);
            labels.push_back({ImVec2(lx, mid.y - fs * 0.5f), lw, std::move(label), hot});
        } else {
            const bool left = b.Center().x < a.Center().x;
            const float side = left ? pos.x - fs * 0.2f : pos.x + width + fs * 0.2f;
            const ImVec2 p1(left ? a.min.x : a.max.x, a.Center().y);
            const ImVec2 p2(left ? b.min.x : b.max.x, b.Center().y);
            draw->AddBezierCubic(p1, ImVec2(side, p1.y), ImVec2(side, p2.y), p2, colour, thick);
            Arrowhead(draw, ImVec2(side, p2.y), p2, colour, fs * 0.35f);
        }
    }

    for (const Label& l : labels) {
        draw->AddRectFilled(ImVec2(l.at.x - 2, l.at.y), ImVec2(l.at.x + l.width + 2, l.at.y + fs),
                            ImGui::GetColorU32(ImGuiCol_ChildBg), fs * 0.2f);
        draw->AddText(c.code, fs, l.at, l.hot ? c.pal.accent : c.pal.text_dim, l.text.c_str());
    }

    // close() from any open state into Closed.
    if (rects.count(ApiState::kClosed) && !g.from_any.empty()) {
        const ScreenRect& closed = rects[ApiState::kClosed];
        const bool hot =
            has_last && actor.last_to == ApiState::kClosed && actor.last_from != ApiState::kClosed;
        const ImU32 colour = hot ? c.pal.accent : c.pal.wire;
        const ImVec2 p2(closed.min.x + fs * 0.8f, closed.min.y);
        const ImVec2 p1(p2.x, closed.min.y - m.gap + fs * 0.1f);
        DashedLine(draw, p1, p2, colour, hot ? 3.0f : 1.5f, fs * 0.25f);
        Arrowhead(draw, p1, p2, colour, fs * 0.4f);
        const std::string text = c.T(Text::kDiagramAnyState);
        // Whole, a little smaller if it must, or not at all (the dashed arrow stays).
        if (const float s = WholeSize(c.font, fs, text, closed.max.x - p2.x - fs * 0.6f, fs * 0.7f);
            s > 0) {
            draw->AddText(c.font, s, ImVec2(p2.x + fs * 0.4f, p1.y + (fs - s) * 0.5f),
                          hot ? c.pal.accent : c.pal.text_dim, text.c_str());
        }
    }

    // The boxes, on top of the arrows.
    for (const auto& [state, r] : rects) {
        const bool current = has_last && actor.last_to == state;
        const bool here = occupied(state);
        const float rounding = fs * 0.3f;
        draw->AddRectFilled(r.min, r.max, current ? c.pal.accent : c.pal.card_bg, rounding);
        draw->AddRect(r.min, r.max, current || here ? c.pal.text : c.pal.card_border, rounding, 0,
                      here ? 2.5f : 1.0f);
        // The state's name whole: on one line, a little smaller if it must, else on two
        // smaller lines inside the box.
        const std::string label = ApiStateLabel(state, c.lang);
        ImFont* font = here ? c.bold : c.font;
        const float room = r.max.x - r.min.x - fs * 0.4f;
        const ImU32 label_colour = current ? c.pal.on_accent : c.pal.text;
        if (const float s = WholeSize(font, fs, label, room, fs * 0.75f); s > 0) {
            const float lw = font->CalcTextSizeA(s, FLT_MAX, 0, label.c_str()).x;
            draw->AddText(font, s,
                          ImVec2(r.Center().x - lw * 0.5f, r.min.y + (m.node_h - s) * 0.5f),
                          label_colour, label.c_str());
        } else {
            const float s2 = m.node_h * 0.45f;
            const ImVec2 size = font->CalcTextSizeA(s2, FLT_MAX, room, label.c_str());
            draw->AddText(font, s2,
                          ImVec2(r.Center().x - size.x * 0.5f,
                                 r.min.y + std::max(0.0f, (m.node_h - size.y) * 0.5f)),
                          label_colour, label.c_str(), nullptr, room);
        }
        // A call still waiting in the kernel on a socket in this state: a warning outline.
        if (actor.blocked && actor.last_from == state) {
            draw->AddRect(ImVec2(r.min.x - 2, r.min.y - 2), ImVec2(r.max.x + 2, r.max.y + 2),
                          c.pal.warn, rounding, 0, 2.5f);
        }
        // Hover: which sockets are in this state, and which calls keep it.
        if (!interactive) continue;
        ImGui::SetCursorScreenPos(r.min);
        ImGui::PushID(static_cast<int>(state));
        ImGui::InvisibleButton("node", ImVec2(r.max.x - r.min.x, r.max.y - r.min.y));
        ImGui::SetItemAllowOverlap();
        if (ImGui::IsItemHovered()) {
            std::string tip = ApiStateLabel(state, c.lang);
            for (const auto& [s, name] : actor.socket_states) {
                if (s == state) tip += "\n• " + name;
            }
            const LifecycleNode* node = g.Find(state);
            if (node && !node->loops.empty()) tip += "\n⇄ " + CallList(node->loops, 8);
            ImGui::SetTooltip("%s", tip.c_str());
        }
        ImGui::PopID();
    }
}

}  // namespace sockstep::ui
