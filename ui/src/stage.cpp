// The stage: client pane(s) on the left, server pane(s) on the right, and between them the wire
// with the connections the kernel reports, drawn between the cards they join. Only what the
// log proves is drawn (a pair of sockets that are each other's peer, a SYN-SENT socket aiming
// at a listener, bytes waiting in a receive queue): no packet is invented, so the wire is
// labelled "connections". Below, the legend: one colour per kernel TCP state.
#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "draw_context.h"
#include "pane.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

using core::TcpState;

constexpr TcpState kLegendStates[] = {
    TcpState::kListen,   TcpState::kSynSent,  TcpState::kSynRecv,   TcpState::kEstablished,
    TcpState::kFinWait1, TcpState::kFinWait2, TcpState::kCloseWait, TcpState::kClosing,
    TcpState::kLastAck,  TcpState::kTimeWait, TcpState::kClose,
};

bool Closing(const std::optional<TcpState>& s) {
    return s && *s != TcpState::kEstablished && *s != TcpState::kSynSent &&
           *s != TcpState::kSynRecv && *s != TcpState::kNewSynRecv;
}

ImVec2 Bezier(ImVec2 p0, ImVec2 p1, ImVec2 p2, ImVec2 p3, float t) {
    const float u = 1 - t;
    const float a = u * u * u;
    const float b = 3 * u * u * t;
    const float c = 3 * u * t * t;
    const float d = t * t * t;
    return ImVec2(a * p0.x + b * p1.x + c * p2.x + d * p3.x,
                  a * p0.y + b * p1.y + c * p2.y + d * p3.y);
}

void DashedBezier(ImDrawList* draw, ImVec2 p0, ImVec2 p1, ImVec2 p2, ImVec2 p3, ImU32 colour,
                  float thickness, int segments) {
    for (int i = 0; i < segments; i += 2) {
        const ImVec2 a =
            Bezier(p0, p1, p2, p3, static_cast<float>(i) / static_cast<float>(segments));
        const ImVec2 b =
            Bezier(p0, p1, p2, p3, static_cast<float>(i + 1) / static_cast<float>(segments));
        draw->AddLine(a, b, colour, thickness);
    }
}

// A small label with a background, so it stays readable over lines.
void WireLabel(DrawContext& c, ImVec2 centre, const std::string& text, ImU32 colour,
               float max_width) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.font->FontSize;
    const std::string shown = Ellipsize(c.font, text, max_width);
    const ImVec2 size = c.font->CalcTextSizeA(fs, FLT_MAX, 0, shown.c_str());
    const ImVec2 a(centre.x - size.x * 0.5f - fs * 0.25f, centre.y - size.y * 0.5f - 1);
    const ImVec2 b(centre.x + size.x * 0.5f + fs * 0.25f, centre.y + size.y * 0.5f + 1);
    draw->AddRectFilled(a, b, c.pal.card_bg, fs * 0.25f);
    draw->AddText(c.font, fs, ImVec2(a.x + fs * 0.25f, a.y + 1), colour, shown.c_str());
}

void DrawLinks(DrawContext& c, float wire_left, float wire_right) {
    const SceneModel& scene = c.frame.scene;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.font->FontSize;
    const float wire_mid = (wire_left + wire_right) * 0.5f;
    const float label_room = wire_right - wire_left - fs * 0.4f;
    std::vector<float> label_ys;
    for (const SceneLink& link : scene.links) {
        const SceneCard& a = scene.cards[static_cast<size_t>(link.a)];
        const SceneCard& b = scene.cards[static_cast<size_t>(link.b)];
        auto ra = c.view.layout.cards.find(a.view.id);
        auto rb = c.view.layout.cards.find(b.view.id);
        if (ra == c.view.layout.cards.end() || rb == c.view.layout.cards.end()) continue;
        // Join the facing edges, at the height of each card's state row.
        const bool a_left = ra->second.Center().x <= rb->second.Center().x;
        const ScreenRect& left = a_left ? ra->second : rb->second;
        const ScreenRect& right = a_left ? rb->second : ra->second;
        const ImVec2 p0(left.max.x, left.min.y + fs * 1.9f);
        const ImVec2 p3(right.min.x, right.min.y + fs * 1.9f);
        // A link between two cards scrolled out of sight on the same side is not drawn: with
        // 1,000 connections most are.
        if (std::max(p0.y, p3.y) < draw->GetClipRectMin().y - fs ||
            std::min(p0.y, p3.y) > draw->GetClipRectMax().y + fs) {
            continue;
        }
        const bool same_column = std::fabs(p0.x - p3.x) < fs * 2 || left.max.x > right.min.x;
        ImVec2 c1;
        ImVec2 c2;
        ImVec2 q0 = p0;
        ImVec2 q3 = p3;
        if (same_column) {
            // Both in one column (a server talking to itself): loop out into the wire.
            q0 = ImVec2(left.max.x, left.min.y + fs * 1.9f);
            q3 = ImVec2(right.max.x, right.min.y + fs * 1.9f);
            const float out = std::max(q0.x, q3.x) + fs * 3;
            c1 = ImVec2(out, q0.y);
            c2 = ImVec2(out, q3.y);
        } else {
            const float dx = (q3.x - q0.x) * 0.5f;
            c1 = ImVec2(q0.x + dx, q0.y);
            c2 = ImVec2(q3.x - dx, q3.y);
        }
        const bool both_estab = a.view.tcp_state == TcpState::kEstablished &&
                                b.view.tcp_state == TcpState::kEstablished;
        std::string label;
        ImU32 colour = c.pal.wire;
        bool dashed = false;
        if (link.kind == LinkKind::kRequest) {
            colour = TcpStateColour(TcpState::kSynSent);
            dashed = true;
            label = c.T(Text::kRequestLabel);
            if (a.view.retransmits > 0) label += " ×" + std::to_string(a.view.retransmits + 1);
        } else if (both_estab) {
            colour = TcpStateColour(TcpState::kEstablished);
            label = c.T(Text::kConnectionLabel);
        } else if (Closing(a.view.tcp_state) || Closing(b.view.tcp_state)) {
            label = c.T(Text::kClosingLabel);
            dashed = true;
        } else {
            label = c.T(Text::kConnectionLabel);
        }
        if (a.placement != Placement::kOwned || b.placement != Placement::kOwned) dashed = true;
        const float thick = std::max(2.0f, fs * 0.16f);
        if (dashed) {
            DashedBezier(draw, q0, c1, c2, q3, colour, thick, 24);
        } else {
            draw->AddBezierCubic(q0, c1, c2, q3, colour, thick);
        }
        draw->AddCircleFilled(q0, thick * 1.6f, colour);
        if (link.kind == LinkKind::kRequest) {
            Arrowhead(draw, c2, q3, colour, fs * 0.6f);
        } else {
            draw->AddCircleFilled(q3, thick * 1.6f, colour);
        }
        // The label in the middle of the wire, unless another one is already there.
        const ImVec2 mid =
            same_column ? Bezier(q0, c1, c2, q3, 0.5f) : ImVec2(wire_mid, (q0.y + q3.y) * 0.5f);
        const bool crowded = std::any_of(label_ys.begin(), label_ys.end(),
                                         [&](float y) { return std::fabs(y - mid.y) < fs * 1.3f; });
        if (!crowded) {
            WireLabel(c, mid, label, c.pal.text, label_room);
            label_ys.push_back(mid.y);
        }
        // Bytes waiting in a receive queue: the kernel's SIOCINQ, shown next to the reader.
        for (const SceneCard* end : {&a, &b}) {
            if (end->view.inq <= 0) continue;
            const bool at_right = (end == &a) != a_left;
            const ImVec2 tip = at_right ? q3 : q0;
            const std::string bytes =
                c.F(Text::kBytes, {std::to_string(end->view.inq)}) + (at_right ? " →" : " ←");
            const float x = at_right ? tip.x - fs * 2.8f : tip.x + fs * 2.8f;
            WireLabel(c, ImVec2(x, tip.y - fs * 0.95f), bytes, c.pal.text, fs * 6);
        }
    }
}

// The states on screen now, as the legend names them (NEW-SYN-RECV is shown as SYN-RECV).
std::set<TcpState> PresentStates(const DrawContext& c) {
    std::set<TcpState> present;
    for (const SceneCard& card : c.frame.scene.cards) {
        if (card.view.tcp_state) {
            present.insert(*card.view.tcp_state == TcpState::kNewSynRecv ? TcpState::kSynRecv
                                                                         : *card.view.tcp_state);
        }
    }
    return present;
}

// The legend's states: all eleven, or in compact form (when the whole legend would take the
// panes' room) only those on screen now, which always fit one line or wrap into a second.
std::vector<TcpState> LegendStates(const DrawContext& c, bool compact) {
    std::vector<TcpState> states;
    const std::set<TcpState> present = compact ? PresentStates(c) : std::set<TcpState>{};
    for (TcpState s : kLegendStates) {
        if (!compact || present.count(s) > 0) states.push_back(s);
    }
    return states;
}

float LegendHeight(const DrawContext& c, float width, bool compact) {
    const float fs = c.font->FontSize;
    float x = c.bold->CalcTextSizeA(fs, FLT_MAX, 0, c.T(Text::kLegendTitle)).x + fs;
    int rows = 1;
    for (TcpState s : LegendStates(c, compact)) {
        const float w = StateBadgeSize(c.bold, s).x + fs * 0.4f;
        if (x + w > width) {
            ++rows;
            x = 0;
        }
        x += w;
    }
    return static_cast<float>(rows) * fs * 1.55f + fs * 0.3f;
}

void DrawLegend(DrawContext& c, ImVec2 pos, float width, bool compact) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.font->FontSize;
    const std::set<TcpState> present = PresentStates(c);
    const char* title = c.T(Text::kLegendTitle);
    draw->AddText(c.bold, fs, ImVec2(pos.x, pos.y + fs * 0.15f), c.pal.text_dim, title);
    float x = pos.x + c.bold->CalcTextSizeA(fs, FLT_MAX, 0, title).x + fs;
    float y = pos.y;
    for (TcpState s : LegendStates(c, compact)) {
        const ImVec2 size = StateBadgeSize(c.bold, s);
        if (x + size.x > pos.x + width) {
            x = pos.x;
            y += fs * 1.55f;
        }
        // States not on screen are faded: the legend also says what is there now.
        const bool here = present.count(s) > 0;
        ImU32 fill = TcpStateColour(s);
        ImU32 text = TextOn(fill);
        if (!here) {
            fill = (fill & 0x00FFFFFF) | (70u << 24);
            text = c.pal.text_dim;
        }
        const std::string label(TcpStateLabel(s));
        Badge(draw, c.bold, ImVec2(x, y), label.c_str(), fill, text);
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        ImGui::PushID(static_cast<int>(s));
        ImGui::InvisibleButton("legend", size);
        WrappedTooltip(label + ": " + TcpStateMeaning(s, c.lang));
        ImGui::PopID();
        x += size.x + fs * 0.4f;
    }
}

}  // namespace

void DrawStage(DrawContext& c, ImVec2 size) {
    const SceneModel& scene = c.frame.scene;
    const float fs = c.font->FontSize;
    const size_t lane_rows = PacketLaneRows(c, size.y);
    const float lane_h = PacketLaneHeight(c, size.y);
    // The panes come first: when the whole legend would leave them less than half the stage,
    // it names only the states on screen.
    const bool compact_legend = size.y - LegendHeight(c, size.x, false) - lane_h < size.y * 0.5f;
    const float legend_h = LegendHeight(c, size.x, compact_legend);
    // One group, so the kernel table placed SameLine sits beside the stage and its legend.
    ImGui::BeginGroup();
    Child("stage", ImVec2(size.x, size.y - legend_h - lane_h), false, 0, [&] {
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const float width = ImGui::GetContentRegionAvail().x;
        c.view.layout.stage = {origin,
                               ImVec2(origin.x + width, origin.y + size.y - legend_h - lane_h)};
        const float gap = fs * 0.6f;
        const float wire = std::clamp(width * 0.16f, fs * 8.0f, fs * 13.0f);
        const float pane = std::max(fs * 10.0f, (width - wire - 2 * gap) * 0.5f);
        const float left_x = origin.x;
        const float wire_x = left_x + pane + gap;
        const float right_x = wire_x + wire + gap;

        // Clients (and programs outside sockstep) on the left, servers on the right.
        float left_y = origin.y;
        float right_y = origin.y;
        int clients = 0;
        int servers = 0;
        for (const SceneActor& actor : scene.actors) {
            (actor.role == core::Role::kClient ? clients : servers) += 1;
        }
        const bool left_compact = clients > 1 || (clients == 1 && !scene.outside.empty());
        // Follow the step: in a column of several panes, the panes holding the step's focus come
        // first and whole; the others fold to a line of counted chips under them.
        const int acting = scene.current && *scene.current < c.frame.log.size()
                               ? c.frame.log[*scene.current].actor
                               : -1;
        auto in_focus = [&](const SceneActor& actor) {
            if (actor.index == acting || actor.blocked) return true;
            return std::any_of(actor.cards.begin(), actor.cards.end(),
                               [&](int i) { return scene.cards[static_cast<size_t>(i)].in_focus; });
        };
        for (const bool focus_pass : {true, false}) {
            for (const SceneActor& actor : scene.actors) {
                const bool client = actor.role == core::Role::kClient;
                const bool several = client ? clients > 1 : servers > 1;
                const bool focused = !several || in_focus(actor);
                if (focused != focus_pass) continue;
                float& y = client ? left_y : right_y;
                const ImVec2 at(client ? left_x : right_x, y);
                y += (focused ? DrawPane(c, actor, at, pane, client,
                                         client ? left_compact : servers > 1)
                              : DrawFoldedPane(c, actor, at, pane)) +
                     fs * 0.8f;
            }
        }
        if (!scene.outside.empty()) {
            left_y += DrawCardGroup(c, scene.outside, c.T(Text::kOutside), c.T(Text::kOutsideHint),
                                    ImVec2(left_x, left_y), pane) +
                      fs * 0.8f;
        }

        // The wire: its title, kernel-only sockets at the bottom, the links over everything.
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const char* title = c.T(Text::kConnectionsTitle);
        const float tw = c.bold->CalcTextSizeA(fs, FLT_MAX, 0, title).x;
        draw->AddText(c.bold, fs, ImVec2(wire_x + (wire - tw) * 0.5f, origin.y + fs * 0.5f),
                      c.pal.text_dim, title);
        const char* sub = c.T(Text::kWire);
        const float sw = c.font->CalcTextSizeA(fs, FLT_MAX, 0, sub).x;
        draw->AddText(c.font, fs, ImVec2(wire_x + (wire - sw) * 0.5f, origin.y + fs * 1.7f),
                      c.pal.text_dim, sub);
        float wire_y = origin.y + fs * 3.2f;
        if (!scene.kernel_only.empty()) {
            const float top = std::max({left_y, right_y, wire_y});
            wire_y = top + DrawCardGroup(c, scene.kernel_only, c.T(Text::kKernelArea), nullptr,
                                         ImVec2(wire_x, top), wire);
        }
        DrawLinks(c, wire_x, wire_x + wire);

        const float bottom = std::max({left_y, right_y, wire_y});
        ImGui::SetCursorScreenPos(origin);
        ImGui::Dummy(ImVec2(width, bottom - origin.y));
    });
    const ImVec2 lane_pos = ImGui::GetCursorScreenPos();
    DrawPacketLane(c, lane_pos, size.x, lane_rows);
    ImGui::SetCursorScreenPos(lane_pos);
    ImGui::Dummy(ImVec2(size.x, lane_h));
    const ImVec2 legend_pos = ImGui::GetCursorScreenPos();
    DrawLegend(c, ImVec2(legend_pos.x, legend_pos.y + fs * 0.15f), size.x, compact_legend);
    ImGui::SetCursorScreenPos(legend_pos);
    ImGui::Dummy(ImVec2(size.x, legend_h));
    ImGui::EndGroup();
}

}  // namespace sockstep::ui
