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
    // Whole or not at all: a cut word ("conn…") reads as another word; the line's colour and
    // dashes still tell the link apart.
    const float fs = WholeSize(c.font, c.StageFs(), text, max_width, c.StageFs() * 0.85f);
    if (fs <= 0) return;
    const std::string& shown = text;
    const ImVec2 size = c.font->CalcTextSizeA(fs, FLT_MAX, 0, shown.c_str());
    // Kept inside the stage's width: beside a stacked pane the wire is a narrow margin.
    const float half = size.x * 0.5f + fs * 0.25f;
    const float left = draw->GetClipRectMin().x + half;
    const float right = draw->GetClipRectMax().x - half;
    if (left <= right) centre.x = std::clamp(centre.x, left, right);
    const ImVec2 a(centre.x - size.x * 0.5f - fs * 0.25f, centre.y - size.y * 0.5f - 1);
    const ImVec2 b(centre.x + size.x * 0.5f + fs * 0.25f, centre.y + size.y * 0.5f + 1);
    // A label the stage's edge would cut is left out.
    if (a.y < draw->GetClipRectMin().y || b.y > draw->GetClipRectMax().y) return;
    draw->AddRectFilled(a, b, c.pal.card_bg, fs * 0.25f);
    draw->AddText(c.font, fs, ImVec2(a.x + fs * 0.25f, a.y + 1), colour, shown.c_str());
}

void DrawLinks(DrawContext& c, float wire_left, float wire_right) {
    const SceneModel& scene = c.frame.scene;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.StageFs();
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

// The TCP states on screen now, as the legend names them (NEW-SYN-RECV is shown as SYN-RECV);
// a UDP socket's UNCONN or ESTAB is no TCP state.
std::set<TcpState> PresentStates(const DrawContext& c) {
    std::set<TcpState> present;
    for (const SceneCard& card : c.frame.scene.cards) {
        if (card.view.tcp_state && card.view.type == core::SockType::kStream) {
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

// The legend's title is left out of the compact legend when the states then fit one line.
bool LegendTitled(const DrawContext& c, float width, bool compact) {
    if (!compact) return true;
    const float fs = c.StageFs();
    float x = c.bold->CalcTextSizeA(fs, FLT_MAX, 0, c.T(Text::kLegendTitle)).x + fs;
    for (TcpState s : LegendStates(c, compact))
        x += StateBadgeSize(c.bold, s, c.StageFs()).x + fs * 0.4f;
    return x - fs * 0.4f <= width;
}

float LegendHeight(const DrawContext& c, float width, bool compact) {
    const float fs = c.StageFs();
    const bool titled = LegendTitled(c, width, compact);
    float x = titled ? c.bold->CalcTextSizeA(fs, FLT_MAX, 0, c.T(Text::kLegendTitle)).x + fs : 0;
    int rows = 1;
    for (TcpState s : LegendStates(c, compact)) {
        const float w = StateBadgeSize(c.bold, s, c.StageFs()).x + fs * 0.4f;
        if (x > 0 && x + w - fs * 0.4f > width) {
            ++rows;
            x = 0;
        }
        x += w;
    }
    return static_cast<float>(rows) * fs * 1.55f + fs * 0.3f;
}

void DrawLegend(DrawContext& c, ImVec2 pos, float width, bool compact) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.StageFs();
    const std::set<TcpState> present = PresentStates(c);
    float x = pos.x;
    if (LegendTitled(c, width, compact)) {
        const char* title = c.T(Text::kLegendTitle);
        draw->AddText(c.bold, fs, ImVec2(pos.x, pos.y + fs * 0.15f), c.pal.text_dim, title);
        x += c.bold->CalcTextSizeA(fs, FLT_MAX, 0, title).x + fs;
    }
    float y = pos.y;
    for (TcpState s : LegendStates(c, compact)) {
        const ImVec2 size = StateBadgeSize(c.bold, s, c.StageFs());
        if (x > pos.x && x + size.x > pos.x + width) {
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
        Badge(draw, c.bold, ImVec2(x, y), label.c_str(), fill, text, c.StageFs());
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        ImGui::PushID(static_cast<int>(s));
        ImGui::InvisibleButton("legend", size);
        WrappedTooltip(label + ": " + TcpStateMeaning(s, c.lang));
        ImGui::PopID();
        x += size.x + fs * 0.4f;
    }
}

// Where the columns go: side by side (clients, the wire, servers) or, when the text is too
// large for two panes and the wire across the width, stacked (clients above servers, full
// width, the links looping out into a margin on the right).
struct StageGeometry {
    bool stacked = false;
    float left_x = 0;
    float right_x = 0;
    float pane = 0;
    float wire_x = 0;
    float wire = 0;
};

StageGeometry Geometry(const DrawContext& c, float x, float width, bool stacked, PaneForm form) {
    const float fs = c.StageFs();
    StageGeometry g;
    g.stacked = stacked;
    if (stacked) {
        g.wire = fs * 3.5f;
        g.pane = width - g.wire;
        g.left_x = x;
        g.right_x = x;
        g.wire_x = x + g.pane;
        return g;
    }
    const float gap = fs * 0.6f;
    // The compact forms narrow the wire to what its labels need, for the panes.
    g.wire =
        form >= PaneForm::kCompact ? fs * 4.5f : std::clamp(width * 0.16f, fs * 8.0f, fs * 13.0f);
    g.pane = (width - g.wire - 2 * gap) * 0.5f;
    g.left_x = x;
    g.wire_x = x + g.pane + gap;
    g.right_x = g.wire_x + g.wire + gap;
    return g;
}

// How many of `panes` share a row in a column `width` wide: as many as keep 9 em each, or fewer
// when that is less tall; 1 when they are stacked as usual. Measures at `x`, `y`.
int PaneTiles(DrawContext& c, const std::vector<const SceneActor*>& panes, float x, float y,
              float width, float gap) {
    const float fs = c.StageFs();
    const int most = std::clamp(static_cast<int>((width + gap) / (fs * 9.0f + gap)), 1,
                                std::max(1, static_cast<int>(panes.size())));
    if (most <= 1) return 1;
    // The focus span the measures note is the one of the form finally laid out: keep it.
    const float focus_top = c.focus_top;
    const float focus_bottom = c.focus_bottom;
    int best = 1;
    float least = FLT_MAX;
    for (int n = 1; n <= most; ++n) {
        const float w = (width - gap * static_cast<float>(n - 1)) / static_cast<float>(n);
        float h = 0;
        for (size_t row = 0; row < panes.size(); row += static_cast<size_t>(n)) {
            float row_h = 0;
            for (size_t k = row; k < std::min(panes.size(), row + static_cast<size_t>(n)); ++k)
                row_h = std::max(row_h,
                                 PaneHeight(c, *panes[k], w, PaneForm::kMinimal, ImVec2(x, y + h)));
            h += row_h + gap;
        }
        // Side by side only when clearly less tall: stacked panes read in order.
        if (h < least - fs * 0.5f) {
            least = h;
            best = n;
        }
    }
    c.focus_top = focus_top;
    c.focus_bottom = focus_bottom;
    return best;
}

// Places the panes, the outside and kernel-only groups in `form`; draws them when `draw`.
// Returns the height they take from `origin`.
float LayStage(DrawContext& c, const StageGeometry& g, ImVec2 origin, PaneForm form, bool draw) {
    const SceneModel& scene = c.frame.scene;
    const float fs = c.StageFs();
    int clients = 0;
    int servers = 0;
    for (const SceneActor& actor : scene.actors) {
        (actor.role == core::Role::kClient ? clients : servers) += 1;
    }
    // Several panes in a column show the diagram as a strip at most.
    const bool left_strip = clients > 1 || (clients == 1 && !scene.outside.empty());
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
    // The panes the step is not about, folded: one bar in the compact forms, else a folded
    // pane each.
    auto folded = [&](const std::vector<const SceneActor*>& actors, float x, float& y,
                      bool together, float gap) {
        if (actors.empty()) return;
        if (together) {
            y += (draw ? DrawFoldedPanes(c, actors, ImVec2(x, y), g.pane)
                       : FoldedPanesHeight(c, actors, g.pane)) +
                 gap;
            return;
        }
        for (const SceneActor* actor : actors) {
            y += (draw ? DrawFoldedPane(c, *actor, ImVec2(x, y), g.pane)
                       : FoldedPaneHeight(c, *actor, g.pane)) +
                 gap;
        }
    };
    // Stacked, the clients' folded panes go below the servers, so the step's cards of both
    // columns stand together and scroll into view as one when the stage is too short.
    std::vector<const SceneActor*> deferred;
    auto column = [&](bool client, float x, float& y) {
        const bool several = client ? clients > 1 : servers > 1;
        const bool strip = client ? left_strip : several;
        const PaneForm pane_form = strip ? std::max(form, PaneForm::kStrip) : form;
        // The compact forms put the folded panes together on one bar, and keep the gaps small.
        const bool together = form >= PaneForm::kCompact;
        const float gap = together ? fs * 0.4f : fs * 0.8f;
        std::vector<const SceneActor*> unfocused;
        std::vector<const SceneActor*> shown;
        for (const SceneActor& actor : scene.actors) {
            if ((actor.role == core::Role::kClient) != client) continue;
            (several && !in_focus(actor) ? unfocused : shown).push_back(&actor);
        }
        // The minimal form puts the panes holding the step's cards side by side where each
        // keeps 9 em and that is less tall (a step about three clients at large text).
        const int tiles = form == PaneForm::kMinimal ? PaneTiles(c, shown, x, y, g.pane, gap) : 1;
        const float tile_w =
            (g.pane - gap * static_cast<float>(tiles - 1)) / static_cast<float>(tiles);
        for (size_t row = 0; row < shown.size(); row += static_cast<size_t>(tiles)) {
            const size_t end = std::min(shown.size(), row + static_cast<size_t>(tiles));
            float row_h = 0;
            for (size_t k = row; k < end; ++k) {
                const ImVec2 at(x + static_cast<float>(k - row) * (tile_w + gap), y);
                row_h = std::max(row_h, draw ? DrawPane(c, *shown[k], at, tile_w, client, pane_form)
                                             : PaneHeight(c, *shown[k], tile_w, pane_form, at));
            }
            y += row_h + gap;
        }
        if (client && g.stacked) {
            deferred = unfocused;
        } else {
            folded(unfocused, x, y, together, gap);
        }
        if (!client) {
            folded(deferred, x, y, together, gap);
        }
    };
    float left_y = origin.y;
    column(true, g.left_x, left_y);
    if (!scene.outside.empty()) {
        const PaneForm group_form = std::max(form, PaneForm::kStrip);
        left_y +=
            (draw ? DrawCardGroup(c, scene.outside, c.T(Text::kOutside), c.T(Text::kOutsideHint),
                                  ImVec2(g.left_x, left_y), g.pane, group_form)
                  : CardGroupHeight(c, scene.outside, c.T(Text::kOutsideHint), g.pane, group_form,
                                    ImVec2(g.left_x, left_y))) +
            fs * 0.8f;
    }
    float right_y = g.stacked ? left_y : origin.y;
    column(false, g.right_x, right_y);

    // The wire: its title (side by side), kernel-only sockets at the bottom.
    float wire_y = origin.y;
    // The minimal form leaves the title out: the links and their labels say what the wire is.
    if (!g.stacked && form != PaneForm::kMinimal) {
        // Left out when the stage is scrolled past it, rather than drawn cut.
        if (draw && origin.y + fs * 0.5f >= ImGui::GetWindowDrawList()->GetClipRectMin().y) {
            ImDrawList* list = ImGui::GetWindowDrawList();
            // Each line only where it fits between the panes: wider, it ran into their edges
            // (text 2.0 at 1280x720); the links and their labels still say what the wire is.
            const char* title = c.T(Text::kConnectionsTitle);
            const float tw = c.bold->CalcTextSizeA(fs, FLT_MAX, 0, title).x;
            if (tw <= g.wire) {
                list->AddText(c.bold, fs,
                              ImVec2(g.wire_x + (g.wire - tw) * 0.5f, origin.y + fs * 0.5f),
                              c.pal.text_dim, title);
            }
            const char* sub = c.T(Text::kWire);
            const float sw = c.font->CalcTextSizeA(fs, FLT_MAX, 0, sub).x;
            if (sw <= g.wire) {
                list->AddText(c.font, fs,
                              ImVec2(g.wire_x + (g.wire - sw) * 0.5f, origin.y + fs * 1.7f),
                              c.pal.text_dim, sub);
            }
        }
        wire_y = origin.y + fs * 3.2f;
    }
    if (!scene.kernel_only.empty()) {
        const float top = std::max({left_y, right_y, wire_y});
        const float x = g.stacked ? g.left_x : g.wire_x;
        const float w = g.stacked ? g.pane : g.wire;
        wire_y =
            top + (draw ? DrawCardGroup(c, scene.kernel_only, c.T(Text::kKernelArea), nullptr,
                                        ImVec2(x, top), w, form)
                        : CardGroupHeight(c, scene.kernel_only, nullptr, w, form, ImVec2(x, top)));
    }
    return std::max({left_y, right_y, wire_y}) - origin.y;
}

// A form of the stage: its text scale, whether the panes are stacked, and how much they show.
struct Candidate {
    float scale;
    bool stacked;
    PaneForm form;
};

// Follow the step: the fullest form in which everything drawn fits `height` without scrolling.
// Two panes side by side need room for a compact card each beside the wire; the panes are
// stacked (twice as wide, so compact cards may take fewer lines) when that alone fits. Past the
// most compact forms, the stage's text shrinks to 0.9 and then 0.8 of the chosen size, never
// less. When none fits, the fullest in which the step's cards fit once scrolled to; else the
// one that needs the least height (the least is scrolled). `fit` says which. Leaves
// c.stage_scale at the chosen scale.
Candidate MeasureForms(DrawContext& c, ImVec2 origin, float width, float height, StageFit& fit);

// MeasureForms, remembered for the scene shown (its build stamp), the rectangle's size, the text
// size and whether cards carry their diagrams: the answer depends on nothing else.
Candidate ChooseForm(DrawContext& c, ImVec2 origin, float width, float height, StageFit& fit) {
    std::vector<StageFormMemo>& memo = c.view.stage_forms;
    const BuildStamp& scene = c.frame.scene_stamp;
    // A scene not built by the Controller (a test's own) has no stamp to tell it apart.
    if (scene.generation < 0) return MeasureForms(c, origin, width, height, fit);
    if (!memo.empty() && !(memo.front().scene == scene)) memo.clear();
    for (const StageFormMemo& m : memo) {
        if (m.width == width && m.height == height && m.font_size == c.font->FontSize &&
            m.diagrams == c.view.diagrams) {
            fit = static_cast<StageFit>(m.fit);
            c.stage_scale = m.scale;
            return {m.scale, m.stacked, static_cast<PaneForm>(m.form)};
        }
    }
    const Candidate chosen = MeasureForms(c, origin, width, height, fit);
    // A handful of rectangles a frame at most; more means the window is being resized.
    if (memo.size() >= 8) memo.erase(memo.begin());
    memo.push_back({scene, width, height, c.font->FontSize, c.view.diagrams, chosen.scale,
                    chosen.stacked, static_cast<uint8_t>(chosen.form), static_cast<uint8_t>(fit)});
    return chosen;
}

// Whether `k` is surely taller than `height` without laying it out: in the forms that show
// every card, a column holding one pane shows all its cards, each at least two lines of text.
bool TallerThan(DrawContext& c, const Candidate& k, float height) {
    if (k.form >= PaneForm::kFolded) return false;
    const SceneModel& scene = c.frame.scene;
    c.stage_scale = k.scale;
    const float card_least = c.StageFs() * 2.0f;
    for (const core::Role role : {core::Role::kClient, core::Role::kServer}) {
        const SceneActor* only = nullptr;
        int panes = 0;
        for (const SceneActor& actor : scene.actors) {
            if (actor.role != role) continue;
            ++panes;
            only = &actor;
        }
        if (panes != 1) continue;
        // Side by side or stacked, the lone pane's cards alone are a lower bound.
        if (static_cast<float>(only->cards.size()) * card_least > height) return true;
    }
    return false;
}

Candidate MeasureForms(DrawContext& c, ImVec2 origin, float width, float height, StageFit& fit) {
    std::vector<Candidate> candidates;
    for (const float scale : {1.0f, 0.9f, 0.8f}) {
        c.stage_scale = scale;
        const bool side_fits =
            Geometry(c, origin.x, width, false, PaneForm::kCompact).pane >= c.StageFs() * 12.0f;
        for (const PaneForm f : {PaneForm::kFull, PaneForm::kStrip, PaneForm::kFolded,
                                 PaneForm::kCompact, PaneForm::kMinimal}) {
            if (scale == 1.0f || f >= PaneForm::kCompact)
                candidates.push_back({scale, !side_fits, f});
        }
        if (side_fits) {
            candidates.push_back({scale, true, PaneForm::kCompact});
            candidates.push_back({scale, true, PaneForm::kMinimal});
        }
    }
    // Each form measured at most once: how tall, and whether the step's cards fit once scrolled
    // to (DrawStage scrolls to them).
    struct Measured {
        bool done = false;
        float need = 0;
        bool follows = false;
    };
    std::vector<Measured> got(candidates.size());
    auto measure = [&](size_t i) {
        const Candidate& k = candidates[i];
        c.stage_scale = k.scale;
        const StageGeometry kg = Geometry(c, origin.x, width, k.stacked, k.form);
        c.focus_top = FLT_MAX;
        c.focus_bottom = -FLT_MAX;
        got[i].need = LayStage(c, kg, origin, k.form, false);
        got[i].follows = c.focus_bottom - c.focus_top <= height - std::ceil(c.StageFs() * 0.1f);
        got[i].done = true;
    };
    // First the forms that may fit whole, in order: the first that does is the answer. A form
    // that shows every card of a lone pane cannot when those cards alone, at two lines each, are
    // taller than the stage (1,000 connections): it is measured only if no form fits whole.
    Candidate chosen = candidates.back();
    fit = StageFit::kNone;
    for (size_t i = 0; i < candidates.size() && fit != StageFit::kWhole; ++i) {
        if (TallerThan(c, candidates[i], height)) continue;
        measure(i);
        if (got[i].need <= height) {
            chosen = candidates[i];
            fit = StageFit::kWhole;
        }
    }
    if (fit != StageFit::kWhole) {
        // The fullest form whose step's cards fit once scrolled to; else the least tall.
        float least = FLT_MAX;
        const Candidate* follows = nullptr;
        for (size_t i = 0; i < candidates.size(); ++i) {
            if (!got[i].done) measure(i);
            if (!follows && got[i].follows) follows = &candidates[i];
            if (got[i].need < least) {
                least = got[i].need;
                chosen = candidates[i];
            }
        }
        if (follows) {
            chosen = *follows;
            fit = StageFit::kFollows;
        }
    }
    // Last, when the step's cards fit in no form: side by side although the panes are narrower
    // than 12 em (down to 8.5 em), where the two columns are each shorter
    // than the stacked one.
    if (fit == StageFit::kNone) {
        const Candidate narrow{0.8f, false, PaneForm::kMinimal};
        c.stage_scale = narrow.scale;
        const StageGeometry ng = Geometry(c, origin.x, width, false, narrow.form);
        if (ng.pane >= c.StageFs() * 8.5f) {
            c.focus_top = FLT_MAX;
            c.focus_bottom = -FLT_MAX;
            const float need = LayStage(c, ng, origin, narrow.form, false);
            const float inset = std::ceil(c.StageFs() * 0.1f);
            if (need <= height) {
                chosen = narrow;
                fit = StageFit::kWhole;
            } else if (c.focus_bottom - c.focus_top <= height - inset) {
                chosen = narrow;
                fit = StageFit::kFollows;
            }
        }
    }
    c.stage_scale = chosen.scale;
    return chosen;
}

}  // namespace

namespace {

// How the stage's rectangle is shared out: the packet lane, the legend, and the panes above.
struct StagePlan {
    float inset = 0;
    float lane_h = 0;
    float legend_h = 0;
    bool compact_legend = false;
    bool legend_shown = true;
    StageFit fit = StageFit::kNone;  // how well the panes fit (when measured)
};

// Measures the panes only when the legend is compact or `measure`: every measure lays out
// every card of every form, and a thousand clients must stay cheap.
StagePlan PlanStage(DrawContext& c, ImVec2 size, bool measure) {
    StagePlan p;
    // A small inset: a glyph's ink may start left of its pen position, and the stage's clip
    // rect is its edge. The child has no border, so no window padding either.
    p.inset = std::ceil(c.StageFs() * 0.1f);
    p.lane_h = PacketLaneHeight(c, size.x, size.y * 0.2f);
    // The panes come first: when the whole legend would leave them less than half the stage,
    // it names only the states on screen.
    p.compact_legend = size.y - LegendHeight(c, size.x, false) - p.lane_h < size.y * 0.5f;
    p.legend_h = LegendHeight(c, size.x, p.compact_legend);
    auto panes_fit = [&] {
        StageFit fit = StageFit::kNone;
        ChooseForm(c, ImVec2(0, 0), size.x - 2 * p.inset,
                   size.y - p.legend_h - p.lane_h - 2 * p.inset, fit);
        c.stage_scale = 1.0f;
        return fit;
    };
    if (!p.compact_legend && !measure) return p;
    p.fit = panes_fit();
    // At large text the panes may still not fit: then the packet lane collapses to its one
    // line and the compact legend is left out (every state it would name is on a card's badge
    // or a folded chip, with its meaning in the tooltip), so that less of the step is scrolled.
    if (p.compact_legend && p.fit != StageFit::kWhole) {
        p.lane_h = PacketLaneHeight(c, size.x, 0.0f);
        p.legend_h = 0.0f;
        p.legend_shown = false;
        p.fit = panes_fit();
    }
    // When the step's cards still do not fit even once scrolled to, the lane's line goes too
    // (its packets are a click away in the timeline and the narration), if that lets them fit.
    if (!p.legend_shown && p.fit == StageFit::kNone) {
        const float lane_h = p.lane_h;
        p.lane_h = 0.0f;
        p.fit = panes_fit();
        if (p.fit == StageFit::kNone) p.lane_h = lane_h;
    }
    return p;
}

}  // namespace

namespace {

// Still taller than the stage: scroll no further than brings the step's cards into view, so
// what is above them (the pane's header) stays if it can. When no form brings all of them into
// view at once (`fit` kNone), the call's own cards (the one it acted on, the one it made) come
// first. Returns the scroll, from `origin` (the content's top).
float FollowScroll(const DrawContext& c, ImVec2 origin, float height, float inset, StageFit fit) {
    float top = FLT_MAX;
    float low = -FLT_MAX;
    float own_top = FLT_MAX;
    float own_low = -FLT_MAX;
    for (const SceneCard& card : c.frame.scene.cards) {
        auto r = c.view.layout.cards.find(card.view.id);
        if (!card.in_focus || r == c.view.layout.cards.end()) continue;
        top = std::min(top, r->second.min.y - origin.y);
        low = std::max(low, r->second.max.y - origin.y);
        if (card.touched || card.fresh) {
            own_top = std::min(own_top, r->second.min.y - origin.y);
            own_low = std::max(own_low, r->second.max.y - origin.y);
        }
    }
    float scroll = top < FLT_MAX ? std::clamp(low - height + inset, 0.0f, top) : 0.0f;
    if (fit == StageFit::kNone && own_top < FLT_MAX) {
        const float least = std::max(0.0f, own_low - height + inset);
        const float most = std::max(0.0f, own_top);
        scroll = least > most ? most : std::clamp(scroll, least, most);
    }
    return scroll;
}

// The step's cards that `scroll` leaves out of view, named on a mark at the stage's edge on
// their side ("▲ 2 more: c1, conn3", or fewer words when the wire is narrow), with a tooltip.
// Recorded in the layout (focus_named) for the layout dump.
void MarkHiddenFocus(DrawContext& c, ImVec2 origin, float height, float inset, float scroll) {
    c.view.layout.focus_fits = false;
    std::vector<const SceneCard*> above;
    std::vector<const SceneCard*> below;
    for (const SceneCard& card : c.frame.scene.cards) {
        auto r = c.view.layout.cards.find(card.view.id);
        if (!card.in_focus || r == c.view.layout.cards.end()) continue;
        const float y0 = r->second.min.y - origin.y;
        const float y1 = r->second.max.y - origin.y;
        if (y0 < scroll - inset - 0.5f) {
            above.push_back(&card);
        } else if (y1 > scroll + height + inset + 0.5f) {
            below.push_back(&card);
        }
    }
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 clip_min = draw->GetClipRectMin();
    const ImVec2 clip_max = draw->GetClipRectMax();
    const float fs = c.StageFs();
    for (const bool up : {true, false}) {
        const std::vector<const SceneCard*>& hidden = up ? above : below;
        if (hidden.empty()) continue;
        std::string names;
        std::string named;  // "c1 (client1): FIN-WAIT-2", for the tooltip
        for (const SceneCard* card : hidden) {
            c.view.layout.focus_named.push_back(card->view.id);
            names += (names.empty() ? "" : ", ") + card->view.name;
            std::string owner;
            if (card->pane >= 0 && card->pane < static_cast<int>(c.frame.scene.actors.size()))
                owner = " (" + c.frame.scene.actors[static_cast<size_t>(card->pane)].name + ")";
            const std::string state =
                card->view.tcp_state
                    ? std::string(SocketStateLabel(*card->view.tcp_state, card->view.type))
                    : std::string(core::ApiStateName(card->view.api_state));
            named += (named.empty() ? "" : ", ") + card->view.name + owner + " " + state;
        }
        const std::string count =
            c.F(up ? Text::kMoreAbove : Text::kMoreBelow, {std::to_string(hidden.size())});
        // The names when they fit at the stage's text size, else the count alone.
        const float room = (clip_max.x - clip_min.x) * 0.5f;
        std::string text = count + ": " + names;
        float tfs = WholeSize(c.font, fs, text, room, fs * 0.85f);
        if (tfs <= 0) {
            text = count;
            tfs = WholeSize(c.font, fs, text, room, fs * 0.7f);
        }
        if (tfs <= 0) continue;
        const ImVec2 size = c.font->CalcTextSizeA(tfs, FLT_MAX, 0, text.c_str());
        const float pad = tfs * 0.35f;
        // On the stage's edge on their side, over whatever is cut there: centred, or at either
        // end, whichever first covers no card of the step in view (the call's own least of all).
        const float y = up ? clip_min.y + pad * 0.5f : clip_max.y - size.y - pad * 1.5f;
        auto covers = [&](float x, bool own_only) {
            const ScreenRect mark{ImVec2(x - pad, y - pad * 0.5f),
                                  ImVec2(x + size.x + pad, y + size.y + pad * 0.5f)};
            for (const SceneCard& card : c.frame.scene.cards) {
                auto r = c.view.layout.cards.find(card.view.id);
                if (!card.in_focus || r == c.view.layout.cards.end()) continue;
                if (own_only && !card.touched && !card.fresh) continue;
                const ScreenRect& k = r->second;
                if (k.min.x < mark.max.x && mark.min.x < k.max.x && k.min.y < mark.max.y &&
                    mark.min.y < k.max.y) {
                    return true;
                }
            }
            return false;
        };
        const float places[] = {(clip_min.x + clip_max.x - size.x) * 0.5f,
                                clip_max.x - size.x - pad * 1.5f, clip_min.x + pad * 1.5f};
        float x = places[0];
        bool placed = false;
        for (const bool own_only : {false, true}) {
            for (const float p : places) {
                if (!placed && !covers(p, own_only)) {
                    x = p;
                    placed = true;
                }
            }
        }
        const ImVec2 a(x - pad, y - pad * 0.5f);
        const ImVec2 b(x + size.x + pad, y + size.y + pad * 0.5f);
        draw->AddRectFilled(a, b, c.pal.pane_header, tfs * 0.4f);
        draw->AddRect(a, b, c.pal.accent, tfs * 0.4f, 0, 1.5f);
        draw->AddText(c.font, tfs, ImVec2(x, y), c.pal.text, text.c_str());
        ImGui::SetCursorScreenPos(a);
        ImGui::PushID(up ? "more-above" : "more-below");
        ImGui::InvisibleButton("more", ImVec2(b.x - a.x, b.y - a.y));
        WrappedTooltip(c.F(Text::kMoreOfStepTip, {named}));
        ImGui::PopID();
    }
}

}  // namespace

StageFit StageFits(DrawContext& c, ImVec2 size) {
    return PlanStage(c, size, true).fit;
}

void DrawStage(DrawContext& c, ImVec2 size) {
    const float fs = c.StageFs();
    const StagePlan plan = PlanStage(c, size, false);
    const float inset = plan.inset;
    const float lane_h = plan.lane_h;
    const float legend_h = plan.legend_h;
    const bool compact_legend = plan.compact_legend;
    const bool legend_shown = plan.legend_shown;
    // One group, so the kernel table placed SameLine sits beside the stage and its legend.
    ImGui::BeginGroup();
    // No scrollbar: its appearing would narrow the stage the frame after, and the layout
    // below chooses its form for the width it has (the wheel still scrolls what overflows).
    Child("stage", ImVec2(size.x, size.y - legend_h - lane_h), false, ImGuiWindowFlags_NoScrollbar,
          [&] {
              const ImVec2 corner = ImGui::GetCursorScreenPos();
              const ImVec2 origin(corner.x + inset, corner.y + inset);
              const float width = ImGui::GetContentRegionAvail().x - 2 * inset;
              const float height = ImGui::GetWindowHeight() - 2 * inset;
              c.view.layout.stage = {
                  origin, ImVec2(origin.x + width, origin.y + size.y - legend_h - lane_h)};
              StageFit fit = StageFit::kNone;
              const Candidate chosen = ChooseForm(c, origin, width, height, fit);
              const bool fits = fit == StageFit::kWhole;
              c.stage_scale = chosen.scale;
              const PaneForm form = chosen.form;
              const StageGeometry g = Geometry(c, origin.x, width, chosen.stacked, form);
              const float bottom = origin.y + LayStage(c, g, origin, form, true);
              DrawLinks(c, g.wire_x, g.wire_x + g.wire);
              if (fits) {
                  // Everything is on screen: no scroll left over from an earlier step.
                  if (ImGui::GetScrollY() != 0.0f) ImGui::SetScrollY(0.0f);
              } else {
                  const float scroll = FollowScroll(c, origin, height, inset, fit);
                  if (std::fabs(ImGui::GetScrollY() - scroll) > 0.5f) ImGui::SetScrollY(scroll);
                  if (fit == StageFit::kNone) MarkHiddenFocus(c, origin, height, inset, scroll);
              }
              ImGui::SetCursorScreenPos(corner);
              ImGui::Dummy(ImVec2(width + 2 * inset, bottom - origin.y + 2 * inset));
          });
    c.stage_scale = 1.0f;  // the packet lane and the legend keep the chosen text size
    if (lane_h > 0.0f) {
        const ImVec2 lane_pos = ImGui::GetCursorScreenPos();
        DrawPacketLane(c, lane_pos, size.x, lane_h);
        ImGui::SetCursorScreenPos(lane_pos);
        ImGui::Dummy(ImVec2(size.x, lane_h));
    }
    if (legend_shown) {
        const ImVec2 legend_pos = ImGui::GetCursorScreenPos();
        DrawLegend(c, ImVec2(legend_pos.x, legend_pos.y + fs * 0.15f), size.x, compact_legend);
        ImGui::SetCursorScreenPos(legend_pos);
        ImGui::Dummy(ImVec2(size.x, legend_h));
    }
    ImGui::EndGroup();
}

}  // namespace sockstep::ui
