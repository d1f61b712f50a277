// An actor's pane: its header (name, role, what it is doing), the banner of a blocked call
// (how long, and the kernel's own word for where it sleeps), its socket cards with the ones
// hanging under a listener indented, and its lifecycle diagram on the outer side.
#include "pane.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "lifecycle_diagram.h"
#include "socket_card.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

float HeaderHeight(const DrawContext& c) {
    return c.font->FontSize * 2.0f;
}

void DrawHeader(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.font->FontSize;
    const float h = HeaderHeight(c);
    draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h), c.pal.pane_header, fs * 0.35f);
    const float y = pos.y + (h - fs) * 0.5f;
    draw->AddText(c.bold, fs, ImVec2(pos.x + fs * 0.5f, y), c.pal.text, actor.name.c_str());
    float x = pos.x + fs * 0.5f + c.bold->CalcTextSizeA(fs, FLT_MAX, 0, actor.name.c_str()).x;
    // The role, unless the name already says it ("server" is a server).
    const char* role = c.T(actor.role == core::Role::kServer ? Text::kServer : Text::kClient);
    const std::string role_en(core::RoleName(actor.role));
    if (actor.name.find(role_en) == std::string::npos || c.lang != core::Lang::kEn) {
        draw->AddText(c.font, fs, ImVec2(x + fs * 0.5f, y), c.pal.text_dim, role);
        x += fs * 0.5f + c.font->CalcTextSizeA(fs, FLT_MAX, 0, role).x;
    }

    // Right side: a socket() button (free mode), then the status.
    float right = pos.x + width - fs * 0.4f;
    if (!c.frame.file_mode && !c.frame.scene.history) {
        const char* label = c.T(Text::kNewSocket);
        const float w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
        ImGui::SetCursorScreenPos(ImVec2(right - w, pos.y + (h - ImGui::GetFrameHeight()) * 0.5f));
        ImGui::PushID(actor.index);
        if (ImGui::SmallButton(label)) OpenSocketDialog(c, actor.index);
        WrappedTooltip(c.F(Text::kNewSocketFor, {actor.name}));
        ImGui::PopID();
        right -= w + fs * 0.5f;
    }
    const char* status = actor.blocked   ? nullptr
                         : actor.running ? c.T(Text::kRunning)
                                         : c.T(Text::kIdle);
    if (status) {
        const float w = c.font->CalcTextSizeA(fs, FLT_MAX, 0, status).x;
        if (right - w > x + fs * 4) {
            draw->AddText(c.font, fs, ImVec2(right - w, y), c.pal.text_dim, status);
        }
    }
}

// The banner's second line: the kernel's word for where the thread sleeps, or, when the kernel
// did not let sockstep see it (no evidence was logged), that sentence, wrapped.
std::string BlockedWhere(const DrawContext& c, const BlockedCall& b) {
    const std::string where = b.wchan.empty() ? b.syscall : b.wchan;
    return where.empty() ? std::string(c.T(Text::kBlockedUnseen))
                         : c.F(Text::kBlockedKernel, {where});
}

float BlockedHeight(const DrawContext& c, const SceneActor& actor, const SceneCard* socket,
                    float width) {
    if (!actor.blocked) return 0;
    const float fs = c.font->FontSize;
    const std::string where = BlockedWhere(c, *actor.blocked);
    const float where_h = c.code->CalcTextSizeA(fs, FLT_MAX, width - fs, where.c_str()).y;
    int lines = 1 + std::max(1, static_cast<int>(where_h / fs + 0.5f));
    if (socket && socket->view.tcp_state == core::TcpState::kSynSent) ++lines;
    return fs * (1.3f * static_cast<float>(lines) + 0.8f);
}

void DrawBlocked(DrawContext& c, const SceneActor& actor, const SceneCard* socket, ImVec2 pos,
                 float width, float height) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const BlockedCall& b = *actor.blocked;
    const float fs = c.font->FontSize;
    draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + height), c.pal.warn_soft, fs * 0.3f);
    draw->AddRect(pos, ImVec2(pos.x + width, pos.y + height), c.pal.warn, fs * 0.3f, 0, 2.0f);
    const double seconds = static_cast<double>(c.frame.now_us - b.since_us) / 1e6;
    float y = pos.y + fs * 0.4f;
    const float x = pos.x + fs * 0.5f;
    const float room = width - fs;
    const std::string line1 = c.F(Text::kBlockedBanner, {core::CallName(b.call), Seconds(seconds)});
    draw->AddText(c.bold, fs, ImVec2(x, y), c.pal.text, Ellipsize(c.bold, line1, room).c_str());
    y += fs * 1.3f;
    const std::string line2 = BlockedWhere(c, b);
    draw->AddText(c.code, fs, ImVec2(x, y), c.pal.text, line2.c_str(), nullptr, room);
    const float line2_h = c.code->CalcTextSizeA(fs, FLT_MAX, room, line2.c_str()).y;
    y += fs * 1.3f * static_cast<float>(std::max(1, static_cast<int>(line2_h / fs + 0.5f)));
    if (socket && socket->view.tcp_state == core::TcpState::kSynSent) {
        const std::string line3 =
            c.F(Text::kSynRetransmits, {std::to_string(std::max(0, socket->view.retransmits))});
        draw->AddText(c.font, fs, ImVec2(x, y), c.pal.warn, Ellipsize(c.font, line3, room).c_str());
    }
}

// Cards stacked top to bottom; a card under a listener is indented and joined to it.
float CardsHeight(const DrawContext& c, const std::vector<int>& cards, float width) {
    const float fs = c.font->FontSize;
    float h = 0;
    for (int i : cards) {
        const SceneCard& card = c.frame.scene.cards[static_cast<size_t>(i)];
        const float indent = card.parent >= 0 ? fs * 1.4f : 0.0f;
        h += CardHeight(c, card, width - indent) + fs * 0.5f;
    }
    return h;
}

void DrawCards(DrawContext& c, const std::vector<int>& cards, ImVec2 pos, float width) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.font->FontSize;
    float y = pos.y;
    std::map<int, ImVec2> anchors;  // listener id → where its children's connector starts
    for (int i : cards) {
        const SceneCard& card = c.frame.scene.cards[static_cast<size_t>(i)];
        const bool child = card.parent >= 0 && anchors.count(card.parent);
        const float indent = child ? fs * 1.4f : 0.0f;
        const float w = width - indent;
        const float h = CardHeight(c, card, w);
        ImVec2 at(pos.x + indent, y);
        at = c.view.animator.CardOffset(card.view.id, at, c.view.layout);
        if (child) {
            const ImVec2 from = anchors[card.parent];
            const float mid = y + std::min(h * 0.5f, fs * 1.2f);
            const ImU32 colour =
                card.placement == Placement::kOwned ? c.pal.text_dim : c.pal.kernel_border;
            draw->AddLine(from, ImVec2(from.x, mid), colour, 1.5f);
            draw->AddLine(ImVec2(from.x, mid), ImVec2(pos.x + indent, mid), colour, 1.5f);
        }
        DrawCard(c, card, at, w, h);
        if (!child) anchors[card.view.id] = ImVec2(pos.x + fs * 0.7f, y + h);
        y += h + fs * 0.5f;
    }
}

}  // namespace

float DrawPane(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width, bool diagram_left,
               bool compact) {
    const float fs = c.font->FontSize;
    c.view.layout.panes[actor.index] = {pos, ImVec2(pos.x + width, pos.y)};
    WithId(actor.index, [&] { DrawHeader(c, actor, pos, width); });
    float top = pos.y + HeaderHeight(c) + fs * 0.4f;

    // The full diagram takes the outer side, from the header down, when there is room for
    // cards beside it. Otherwise (a narrow pane, or several panes stacked in a column) it shrinks
    // to a one-line strip that shows the full diagram on hover.
    const float diagram_w = std::min(fs * 11.5f, width * 0.42f);
    const bool room = width - diagram_w > fs * 15.0f;
    const bool full_diagram = c.view.diagrams && !compact && room;
    if (c.view.diagrams && !full_diagram) {
        DrawLifecycleStrip(c, actor, ImVec2(pos.x, top), width);
        top += LifecycleStripHeight(c) + fs * 0.2f;
    }
    const bool side = full_diagram;
    const float cards_w = side ? width - diagram_w - fs * 1.0f : width;
    const float cards_x = side && diagram_left ? pos.x + diagram_w + fs * 1.0f : pos.x;
    float y = top;

    const SceneCard* blocked_socket =
        actor.blocked ? c.frame.scene.FindCard(actor.blocked->socket_id) : nullptr;
    if (actor.blocked) {
        const float h = BlockedHeight(c, actor, blocked_socket, cards_w);
        DrawBlocked(c, actor, blocked_socket, ImVec2(cards_x, y), cards_w, h);
        y += h + fs * 0.4f;
    }
    // socket() itself failing leaves no card to carry the error: show it on the pane.
    if (actor.failed_err != 0 && actor.last_call == core::CallKind::kSocket) {
        const std::string text = "✖ socket(): " + ErrnoLine(actor.failed_err, "", c.lang);
        ImGui::GetWindowDrawList()->AddText(c.font, fs, ImVec2(cards_x, y), c.pal.error,
                                            text.c_str(), nullptr, cards_w);
        y += c.font->CalcTextSizeA(fs, FLT_MAX, cards_w, text.c_str()).y + fs * 0.4f;
    }
    if (actor.cards.empty()) {
        const std::string empty = EmptyPaneText(actor, c.lang);
        ImGui::GetWindowDrawList()->AddText(c.font, fs, ImVec2(cards_x, y), c.pal.text_dim,
                                            empty.c_str());
        y += fs * 1.5f;
    } else {
        DrawCards(c, actor.cards, ImVec2(cards_x, y), cards_w);
        y += CardsHeight(c, actor.cards, cards_w);
    }
    float bottom = y;
    if (full_diagram) {
        const float dx = diagram_left ? pos.x : pos.x + width - diagram_w;
        WithId(actor.index, [&] { DrawLifecycleDiagram(c, actor, ImVec2(dx, top), diagram_w); });
        bottom = std::max(bottom, top + LifecycleDiagramHeight(c, actor.type));
    }
    c.view.layout.panes[actor.index].max.y = bottom;
    return bottom - pos.y;
}

float DrawFoldedPane(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width) {
    const float fs = c.font->FontSize;
    c.view.layout.panes[actor.index] = {pos, ImVec2(pos.x + width, pos.y)};
    WithId(actor.index, [&] { DrawHeader(c, actor, pos, width); });
    const float top = pos.y + HeaderHeight(c) + fs * 0.3f;
    // Counted by the kernel's state (the API state for sockets without one), in card order.
    std::vector<std::pair<std::string, int>> counts;
    for (const int i : actor.cards) {
        const core::SocketView& v = c.frame.scene.cards[static_cast<size_t>(i)].view;
        const std::string name(v.tcp_state ? core::TcpStateName(*v.tcp_state)
                                           : core::ApiStateName(v.api_state));
        auto it = std::find_if(counts.begin(), counts.end(),
                               [&](const auto& e) { return e.first == name; });
        if (it == counts.end()) {
            counts.emplace_back(name, 1);
        } else {
            ++it->second;
        }
    }
    std::string line;
    for (const auto& [name, n] : counts) {
        line += (line.empty() ? "" : "  ") + ("+" + std::to_string(n) + " " + name);
    }
    if (line.empty()) line = c.T(Text::kNoSocketsYet);
    ImGui::GetWindowDrawList()->AddText(c.font, fs, ImVec2(pos.x + fs * 0.5f, top), c.pal.text_dim,
                                        line.c_str(), nullptr, width - fs * 0.5f);
    const float bottom =
        top + c.font->CalcTextSizeA(fs, FLT_MAX, width - fs * 0.5f, line.c_str()).y + fs * 0.2f;
    c.view.layout.panes[actor.index].max.y = bottom;
    return bottom - pos.y;
}

float DrawCardGroup(DrawContext& c, const std::vector<int>& cards, const char* title,
                    const char* hint, ImVec2 pos, float width) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.font->FontSize;
    float y = pos.y;
    draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + fs * 2.0f), c.pal.pane_header,
                        fs * 0.35f);
    draw->AddText(c.bold, fs, ImVec2(pos.x + fs * 0.5f, pos.y + fs * 0.5f), c.pal.text, title);
    y += fs * 2.4f;
    if (hint) {
        draw->AddText(c.font, fs, ImVec2(pos.x, y), c.pal.text_dim, hint, nullptr, width);
        y += c.font->CalcTextSizeA(fs, FLT_MAX, width, hint).y + fs * 0.4f;
    }
    DrawCards(c, cards, ImVec2(pos.x, y), width);
    y += CardsHeight(c, cards, width);
    return y - pos.y;
}

}  // namespace sockstep::ui
