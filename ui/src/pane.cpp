// An actor's pane: its header (name, role, what it is doing), the banner of a blocked call
// (how long, and the kernel's own word for where it sleeps), its socket cards with the ones
// hanging under a listener indented, and its lifecycle diagram on the outer side.
#include "pane.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "lifecycle_diagram.h"
#include "socket_card.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

// The compact forms take a thinner header bar.
float HeaderHeight(const DrawContext& c, PaneForm form = PaneForm::kFull) {
    return c.StageFs() * (form >= PaneForm::kCompact ? 1.5f : 2.0f);
}

void DrawHeader(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width,
                PaneForm form = PaneForm::kFull) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.StageFs();
    const float h = HeaderHeight(c, form);
    draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h), c.pal.pane_header, fs * 0.35f);
    const float y = pos.y + (h - fs) * 0.5f;
    draw->AddText(c.bold, fs, ImVec2(pos.x + fs * 0.5f, y), c.pal.text, actor.name.c_str());
    float x = pos.x + fs * 0.5f + c.bold->CalcTextSizeA(fs, FLT_MAX, 0, actor.name.c_str()).x;
    // Right side: a socket() button (free mode), then the status; the role only where it fits
    // before the button ("클라이언트" is wider than "client").
    float right = pos.x + width - fs * 0.4f;
    const bool button = !c.frame.file_mode && !c.frame.scene.history;
    const char* label = c.T(Text::kNewSocket);
    const float button_w =
        button ? ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2 : 0.0f;
    // The role, unless the name already says it ("server" is a server).
    const char* role = c.T(actor.role == core::Role::kServer ? Text::kServer : Text::kClient);
    const std::string role_en(core::RoleName(actor.role));
    const float role_w = c.font->CalcTextSizeA(fs, FLT_MAX, 0, role).x;
    const float role_end = button ? right - button_w - fs * 0.3f : right;
    if ((actor.name.find(role_en) == std::string::npos || c.lang != core::Lang::kEn) &&
        x + fs * 0.5f + role_w <= role_end) {
        draw->AddText(c.font, fs, ImVec2(x + fs * 0.5f, y), c.pal.text_dim, role);
        x += fs * 0.5f + role_w;
    }

    if (button) {
        const float w = button_w;
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

// The full forms' banner: how long the call has waited, the kernel's word for where it sleeps
// and a SYN-SENT socket's retransmissions (the compact forms say it in BlockedHeader or on the
// card). Every line wraps. Drawn when `draw` is given; its height either way.
float Blocked(const DrawContext& c, const SceneActor& actor, const SceneCard* socket, ImVec2 pos,
              float width, ImDrawList* draw) {
    const BlockedCall& b = *actor.blocked;
    const float fs = c.StageFs();
    const float room = width - fs;
    const double seconds = static_cast<double>(c.frame.now_us - b.since_us) / 1e6;
    const std::string line1 = c.F(Text::kBlockedBanner, {core::CallName(b.call), Seconds(seconds)});
    const std::string line2 = BlockedWhere(c, b);
    std::string line3;
    if (socket && socket->view.tcp_state == core::TcpState::kSynSent) {
        line3 = c.F(Text::kSynRetransmits, {std::to_string(std::max(0, socket->view.retransmits))});
    }
    struct Row {
        ImFont* font;
        const std::string* text;
        ImU32 colour;
    };
    std::vector<Row> rows{{c.bold, &line1, c.pal.text}, {c.code, &line2, c.pal.text}};
    if (!line3.empty()) rows.push_back({c.font, &line3, c.pal.warn});
    float h = fs * 0.4f;
    for (const Row& r : rows)
        h += r.font->CalcTextSizeA(fs, FLT_MAX, room, r.text->c_str()).y + fs * 0.3f;
    h += fs * 0.1f;
    if (draw == nullptr) return h;
    draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h), c.pal.warn_soft, fs * 0.3f);
    draw->AddRect(pos, ImVec2(pos.x + width, pos.y + h), c.pal.warn, fs * 0.3f, 0, 2.0f);
    float y = pos.y + fs * 0.4f;
    for (const Row& r : rows) {
        draw->AddText(r.font, fs, ImVec2(pos.x + fs * 0.5f, y), r.colour, r.text->c_str(), nullptr,
                      room);
        y += r.font->CalcTextSizeA(fs, FLT_MAX, room, r.text->c_str()).y + fs * 0.3f;
    }
    return h;
}

// The compact forms' banner, in one line of few words: "in connect() 0.4 s".
std::string BlockedLine(const DrawContext& c, const SceneActor& actor) {
    const BlockedCall& b = *actor.blocked;
    const double seconds = static_cast<double>(c.frame.now_us - b.since_us) / 1e6;
    return c.F(Text::kBlockedShort, {core::CallName(b.call), Seconds(seconds)});
}

// In the compact forms a blocked call's banner is its pane's header: the name, and beside it
// (below it when the name leaves too little room) how long the call has waited, wrapped, on one
// bar in the banner's colours. One row less than a header above a banner. Drawn when `draw` is
// given; its height either way.
float BlockedHeader(const DrawContext& c, const SceneActor& actor, ImVec2 pos, float width,
                    ImDrawList* draw) {
    const float fs = c.StageFs();
    const std::string text = BlockedLine(c, actor);
    const float pad = fs * 0.5f;
    const float name_w = c.bold->CalcTextSizeA(fs, FLT_MAX, 0, actor.name.c_str()).x;
    float x = pos.x + pad + name_w + pad;
    float room = pos.x + width - pad - x;
    // The banner's longest word must fit beside the name, else it goes under it.
    const bool beside = room >= fs * 6.0f;
    if (!beside) room = width - 2 * pad;
    const float text_h = c.font->CalcTextSizeA(fs, FLT_MAX, room, text.c_str()).y;
    const float body_h = beside ? std::max(fs, text_h) : fs + fs * 0.15f + text_h;
    const float h = std::max(HeaderHeight(c, PaneForm::kCompact), body_h + fs * 0.5f);
    if (draw == nullptr) return h;
    draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h), c.pal.warn_soft, fs * 0.3f);
    draw->AddRect(pos, ImVec2(pos.x + width, pos.y + h), c.pal.warn, fs * 0.3f, 0, 2.0f);
    const float top = pos.y + (h - body_h) * 0.5f;
    draw->AddText(c.bold, fs, ImVec2(pos.x + pad, top), c.pal.text, actor.name.c_str());
    if (!beside) x = pos.x + pad;
    draw->AddText(c.font, fs, ImVec2(x, beside ? top : top + fs * 1.15f), c.pal.text, text.c_str(),
                  nullptr, room);
    return h;
}

// Whether the rows from `top` to `bottom` lie inside the clip rect: folded lines outside it
// when nothing else fits are left out rather than cut.
bool Whole(float top, float bottom) {
    ImDrawList* list = ImGui::GetWindowDrawList();
    return top >= list->GetClipRectMin().y && bottom <= list->GetClipRectMax().y;
}

// The chips of cards folded away: counted by the kernel's state (the API state for sockets
// without one), in card order.
std::string CountedChips(const DrawContext& c, const std::vector<int>& cards) {
    // The labels are views of static texts: a label seen before is usually the same view, so
    // 1,000 folded cards cost a pointer comparison each, not a string built and compared.
    std::vector<std::pair<std::string_view, int>> counts;
    for (const int i : cards) {
        const core::SocketView& v = c.frame.scene.cards[static_cast<size_t>(i)].view;
        const std::string_view name =
            v.tcp_state ? SocketStateLabel(*v.tcp_state, v.type) : core::ApiStateName(v.api_state);
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& e) {
            return e.first.data() == name.data() ? e.first.size() == name.size() : e.first == name;
        });
        if (it == counts.end()) {
            counts.emplace_back(name, 1);
        } else {
            ++it->second;
        }
    }
    std::string line;
    for (const auto& [name, n] : counts) {
        if (!line.empty()) line += "  ";
        line += "+" + std::to_string(n) + " ";
        line += name;
    }
    return line;
}

// How far a card under a listener is indented: less in the compact forms, whose cards are
// narrow already.
float ChildIndent(const DrawContext& c, bool compact) {
    return c.StageFs() * (compact ? 0.8f : 1.4f);
}

// The height of compact cards in rows of `columns` (one column: children indented), gaps
// between them included.
float StackHeight(const DrawContext& c, const std::vector<int>& shown, float width, int columns,
                  float gap, float card_gap) {
    const auto& cards = c.frame.scene.cards;
    float y = 0;
    if (columns > 1) {
        const float w =
            (width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
        for (size_t row = 0; row < shown.size(); row += static_cast<size_t>(columns)) {
            const size_t end = std::min(shown.size(), row + static_cast<size_t>(columns));
            float h = 0;
            for (size_t k = row; k < end; ++k)
                h = std::max(h, CardHeight(c, cards[static_cast<size_t>(shown[k])], w, true));
            y += h + card_gap;
        }
        return y;
    }
    std::set<int> parents;
    for (const int i : shown) {
        const SceneCard& card = cards[static_cast<size_t>(i)];
        const bool child = card.parent >= 0 && parents.count(card.parent);
        y += CardHeight(c, card, width - (child ? ChildIndent(c, true) : 0.0f), true) + card_gap;
        if (!child) parents.insert(card.view.id);
    }
    return y;
}

// Cards stacked top to bottom; a card under a listener is indented and joined to it. From
// kFolded on, only the step's cards are drawn and the others are counted on a line of chips.
// Draws when `draw`; returns the height either way.
float CardsBlock(DrawContext& c, const std::vector<int>& cards, ImVec2 pos, float width,
                 PaneForm form, bool draw) {
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float fs = c.StageFs();
    const bool compact = form >= PaneForm::kCompact;
    float y = pos.y;
    std::map<int, ImVec2> anchors;  // listener id → where its children's connector starts
    std::vector<int> shown;
    std::vector<int> folded;
    for (int i : cards) {
        const bool fold =
            form >= PaneForm::kFolded && !c.frame.scene.cards[static_cast<size_t>(i)].in_focus;
        (fold ? folded : shown).push_back(i);
    }
    // Compact cards share a row where each can still have 12 em (9 em in the minimal form, the
    // one for large text, where a row of two costs less height than two rows).
    const float gap = fs * 0.5f;
    // Compact cards stand closer together: they are the forms for large text.
    const float card_gap = compact ? fs * 0.3f : fs * 0.5f;
    const float column_min = fs * (form == PaneForm::kMinimal ? 9.0f : 12.0f);
    const int most = compact ? std::clamp(static_cast<int>((width + gap) / (column_min + gap)), 1,
                                          std::max(1, static_cast<int>(shown.size())))
                             : 1;
    // Fewer columns when that is less tall: a wider card may keep its fact on its first line.
    int columns = most;
    float least = StackHeight(c, shown, width, most, gap, card_gap);
    for (int n = most - 1; n >= 1; --n) {
        const float h = StackHeight(c, shown, width, n, gap, card_gap);
        if (h < least - 0.5f) {
            least = h;
            columns = n;
        }
    }
    if (columns > 1) {
        const float w =
            (width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
        for (size_t row = 0; row < shown.size(); row += static_cast<size_t>(columns)) {
            const size_t end = std::min(shown.size(), row + static_cast<size_t>(columns));
            float h = 0;
            for (size_t k = row; k < end; ++k) {
                h = std::max(
                    h, CardHeight(c, c.frame.scene.cards[static_cast<size_t>(shown[k])], w, true));
            }
            for (size_t k = row; k < end; ++k) {
                if (c.frame.scene.cards[static_cast<size_t>(shown[k])].in_focus)
                    c.NoteFocus(y, y + h);
            }
            for (size_t k = row; draw && k < end; ++k) {
                const SceneCard& card = c.frame.scene.cards[static_cast<size_t>(shown[k])];
                ImVec2 at(pos.x + static_cast<float>(k - row) * (w + gap), y);
                at = c.view.animator.CardOffset(card.view.id, at, c.view.layout);
                DrawCard(c, card, at, w, h, true);
            }
            y += h + card_gap;
        }
        shown.clear();
    }
    for (int i : shown) {
        const SceneCard& card = c.frame.scene.cards[static_cast<size_t>(i)];
        const bool child = card.parent >= 0 && anchors.count(card.parent);
        const float indent = child ? ChildIndent(c, compact) : 0.0f;
        const float w = width - indent;
        const float h = CardHeight(c, card, w, compact);
        if (card.in_focus) c.NoteFocus(y, y + h);
        if (draw) {
            ImVec2 at(pos.x + indent, y);
            at = c.view.animator.CardOffset(card.view.id, at, c.view.layout);
            if (child) {
                const ImVec2 from = anchors[card.parent];
                const float mid = y + std::min(h * 0.5f, fs * 1.2f);
                const ImU32 colour =
                    card.placement == Placement::kOwned ? c.pal.text_dim : c.pal.kernel_border;
                list->AddLine(from, ImVec2(from.x, mid), colour, 1.5f);
                list->AddLine(ImVec2(from.x, mid), ImVec2(pos.x + indent, mid), colour, 1.5f);
            }
            DrawCard(c, card, at, w, h, compact);
        }
        if (!child) anchors[card.view.id] = ImVec2(pos.x + fs * 0.7f, y + h);
        y += h + card_gap;
    }
    // The pane's or group's own gap follows the last compact card: no second one.
    if (compact && folded.empty() && y > pos.y) y -= card_gap;
    if (!folded.empty()) {
        const std::string chips = CountedChips(c, folded);
        const float chips_h =
            c.font->CalcTextSizeA(fs, FLT_MAX, width - fs * 0.5f, chips.c_str()).y;
        if (draw && Whole(y, y + chips_h)) {
            list->AddText(c.font, fs, ImVec2(pos.x + fs * 0.5f, y), c.pal.text_dim, chips.c_str(),
                          nullptr, width - fs * 0.5f);
        }
        y += c.font->CalcTextSizeA(fs, FLT_MAX, width - fs * 0.5f, chips.c_str()).y + fs * 0.4f;
    }
    return y - pos.y;
}

// The pane, drawn when `draw`; its height either way.
float LayPane(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width, bool diagram_left,
              PaneForm form, bool draw) {
    const float fs = c.StageFs();
    ImDrawList* list = ImGui::GetWindowDrawList();
    // The compact forms say a blocked call on the header bar, or, for a connect() still in
    // SYN-SENT, as its card's fact (in place of the local address) when that is less tall.
    const SceneCard* blocked_socket =
        actor.blocked ? c.frame.scene.FindCard(actor.blocked->socket_id) : nullptr;
    bool banner_header = actor.blocked && form >= PaneForm::kCompact;
    bool banner_in_card = false;
    if (banner_header && blocked_socket &&
        blocked_socket->view.tcp_state == core::TcpState::kSynSent &&
        std::count(actor.cards.begin(), actor.cards.end(),
                   static_cast<int>(blocked_socket - c.frame.scene.cards.data())) > 0) {
        const float focus_top = c.focus_top;
        const float focus_bottom = c.focus_bottom;
        const float on_header = BlockedHeader(c, actor, pos, width, nullptr) +
                                CardsBlock(c, actor.cards, pos, width, form, false);
        c.blocked_fact_id = blocked_socket->view.id;
        c.blocked_fact = BlockedLine(c, actor);
        const float on_card =
            HeaderHeight(c, form) + CardsBlock(c, actor.cards, pos, width, form, false);
        c.blocked_fact_id = -1;
        c.focus_top = focus_top;
        c.focus_bottom = focus_bottom;
        banner_in_card = on_card < on_header;
        banner_header = !banner_in_card;
    }
    const float header_h =
        banner_header ? BlockedHeader(c, actor, pos, width, nullptr) : HeaderHeight(c, form);
    if (draw) {
        c.view.layout.panes[actor.index] = {pos, ImVec2(pos.x + width, pos.y)};
        // Only what lies wholly inside the stage is drawn: when nothing else fits, what the
        // stage's edge would cut is left out (the step's cards are scrolled into view).
        if (Whole(pos.y, pos.y + header_h)) {
            if (banner_header) {
                BlockedHeader(c, actor, pos, width, list);
            } else {
                WithId(actor.index, [&] { DrawHeader(c, actor, pos, width, form); });
            }
        }
    }
    float top = pos.y + header_h + fs * (form >= PaneForm::kCompact ? 0.25f : 0.4f);

    // The full diagram takes the outer side, from the header down, when there is room for
    // cards beside it. Otherwise it shrinks to a one-line strip that shows the full diagram on
    // hover.
    const float diagram_w = std::min(fs * 11.5f, width * 0.42f);
    const bool room = width - diagram_w > fs * 15.0f;
    const bool full_diagram = c.view.diagrams && form == PaneForm::kFull && room;
    if (c.view.diagrams && !full_diagram && form != PaneForm::kMinimal) {
        const float strip_h = LifecycleStripHeight(c, actor, width);
        if (draw && Whole(top, top + strip_h))
            DrawLifecycleStrip(c, actor, ImVec2(pos.x, top), width);
        top += strip_h + fs * 0.2f;
    }
    const bool side = full_diagram;
    const float cards_w = side ? width - diagram_w - fs * 1.0f : width;
    const float cards_x = side && diagram_left ? pos.x + diagram_w + fs * 1.0f : pos.x;
    float y = top;

    if (actor.blocked && form < PaneForm::kCompact) {
        const float h = Blocked(c, actor, blocked_socket, ImVec2(cards_x, y), cards_w, nullptr);
        if (draw && Whole(y, y + h))
            Blocked(c, actor, blocked_socket, ImVec2(cards_x, y), cards_w, list);
        y += h + fs * 0.4f;
    }
    // socket() itself failing leaves no card to carry the error: show it on the pane.
    if (actor.failed_err != 0 && actor.last_call == core::CallKind::kSocket) {
        const std::string text = "✖ socket(): " + ErrnoLine(actor.failed_err, "", c.lang);
        const float h = c.font->CalcTextSizeA(fs, FLT_MAX, cards_w, text.c_str()).y;
        if (draw && Whole(y, y + h)) {
            list->AddText(c.font, fs, ImVec2(cards_x, y), c.pal.error, text.c_str(), nullptr,
                          cards_w);
        }
        y += h + fs * 0.4f;
    }
    if (actor.cards.empty()) {
        const std::string empty = EmptyPaneText(actor, c.lang);
        const float h = c.font->CalcTextSizeA(fs, FLT_MAX, cards_w, empty.c_str()).y;
        if (draw && Whole(y, y + h)) {
            list->AddText(c.font, fs, ImVec2(cards_x, y), c.pal.text_dim, empty.c_str(), nullptr,
                          cards_w);
        }
        y += h + fs * 0.5f;
    } else {
        if (banner_in_card) {
            c.blocked_fact_id = blocked_socket->view.id;
            c.blocked_fact = BlockedLine(c, actor);
        }
        y += CardsBlock(c, actor.cards, ImVec2(cards_x, y), cards_w, form, draw);
        c.blocked_fact_id = -1;
    }
    float bottom = y;
    if (full_diagram) {
        const float dx = diagram_left ? pos.x : pos.x + width - diagram_w;
        if (draw) {
            WithId(actor.index,
                   [&] { DrawLifecycleDiagram(c, actor, ImVec2(dx, top), diagram_w); });
        }
        bottom = std::max(bottom, top + LifecycleDiagramHeight(c, actor.type));
    }
    if (draw) c.view.layout.panes[actor.index].max.y = bottom;
    return bottom - pos.y;
}

float CardGroup(DrawContext& c, const std::vector<int>& cards, const char* title, const char* hint,
                ImVec2 pos, float width, PaneForm form, bool draw) {
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float fs = c.StageFs();
    float y = pos.y;
    if (draw) {
        list->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + fs * 2.0f), c.pal.pane_header,
                            fs * 0.35f);
        list->AddText(c.bold, fs, ImVec2(pos.x + fs * 0.5f, pos.y + fs * 0.5f), c.pal.text, title,
                      nullptr, width - fs);
    }
    y += fs * 2.4f;
    // The hint explains a full group; the folded forms leave it to the cards' tooltips.
    if (hint && form < PaneForm::kFolded) {
        if (draw) list->AddText(c.font, fs, ImVec2(pos.x, y), c.pal.text_dim, hint, nullptr, width);
        y += c.font->CalcTextSizeA(fs, FLT_MAX, width, hint).y + fs * 0.4f;
    }
    y += CardsBlock(c, cards, ImVec2(pos.x, y), width, form, draw);
    return y - pos.y;
}

}  // namespace

float DrawPane(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width, bool diagram_left,
               PaneForm form) {
    return LayPane(c, actor, pos, width, diagram_left, form, true);
}

float PaneHeight(DrawContext& c, const SceneActor& actor, float width, PaneForm form, ImVec2 pos) {
    return LayPane(c, actor, pos, width, false, form, false);
}

namespace {

// A folded pane: its name and counted chips on the header bar, or under it when they do not
// fit beside the name (or free mode puts its socket() button on the bar). Drawn when `draw`.
float FoldedPane(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width, bool draw) {
    const float fs = c.StageFs();
    const float h = HeaderHeight(c);
    std::string chips = CountedChips(c, actor.cards);
    if (chips.empty()) chips = c.T(Text::kNoSocketsYet);
    const float chips_x =
        pos.x + fs * 1.3f + c.bold->CalcTextSizeA(fs, FLT_MAX, 0, actor.name.c_str()).x;
    const float chips_w = c.font->CalcTextSizeA(fs, FLT_MAX, 0, chips.c_str()).x;
    const bool free_mode = !c.frame.file_mode && !c.frame.scene.history;
    const bool beside = !free_mode && chips_x + chips_w <= pos.x + width - fs * 0.4f;
    ImDrawList* list = ImGui::GetWindowDrawList();
    if (beside) {
        if (draw && Whole(pos.y, pos.y + h)) {
            list->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h), c.pal.pane_header,
                                fs * 0.35f);
            const float y = pos.y + (h - fs) * 0.5f;
            list->AddText(c.bold, fs, ImVec2(pos.x + fs * 0.5f, y), c.pal.text, actor.name.c_str());
            list->AddText(c.font, fs, ImVec2(chips_x, y), c.pal.text_dim, chips.c_str());
        }
        return h;
    }
    const float top = pos.y + h + fs * 0.3f;
    const float chips_h = c.font->CalcTextSizeA(fs, FLT_MAX, width - fs * 0.5f, chips.c_str()).y;
    if (draw && Whole(pos.y, top + chips_h)) {
        WithId(actor.index, [&] { DrawHeader(c, actor, pos, width); });
        list->AddText(c.font, fs, ImVec2(pos.x + fs * 0.5f, top), c.pal.text_dim, chips.c_str(),
                      nullptr, width - fs * 0.5f);
    }
    return top - pos.y + chips_h + fs * 0.2f;
}

}  // namespace

float FoldedPaneHeight(DrawContext& c, const SceneActor& actor, float width) {
    return FoldedPane(c, actor, ImVec2(0, 0), width, false);
}

float DrawFoldedPane(DrawContext& c, const SceneActor& actor, ImVec2 pos, float width) {
    c.view.layout.panes[actor.index] = {pos, ImVec2(pos.x + width, pos.y)};
    const float h = FoldedPane(c, actor, pos, width, true);
    c.view.layout.panes[actor.index].max.y = pos.y + h;
    return h;
}

namespace {

// Several folded panes of one column on one bar: "client2: +1 ESTAB · client3: no sockets yet"
// when that fits one line, else each actor on a line of its own (wrapped), so no line ends on
// a dangling "·". Drawn when `draw`.
float FoldedPanes(DrawContext& c, const std::vector<const SceneActor*>& actors, ImVec2 pos,
                  float width, bool draw) {
    const float fs = c.StageFs();
    const float room = width - fs;
    std::string text;
    std::string lines;
    for (const SceneActor* actor : actors) {
        std::string chips = CountedChips(c, actor->cards);
        if (chips.empty()) chips = c.T(Text::kNoSocketsYet);
        const std::string part = actor->name + ": " + chips;
        text += (text.empty() ? "" : "  ·  ") + part;
        lines += (lines.empty() ? "" : "\n") + part;
    }
    if (c.font->CalcTextSizeA(fs, FLT_MAX, 0.0f, text.c_str()).x > room) text = lines;
    const float h = std::max(HeaderHeight(c),
                             c.font->CalcTextSizeA(fs, FLT_MAX, room, text.c_str()).y + fs * 0.6f);
    if (draw && Whole(pos.y, pos.y + h)) {
        ImDrawList* list = ImGui::GetWindowDrawList();
        list->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h), c.pal.pane_header, fs * 0.35f);
        list->AddText(c.font, fs, ImVec2(pos.x + fs * 0.5f, pos.y + (h - (h - fs * 0.6f)) * 0.5f),
                      c.pal.text_dim, text.c_str(), nullptr, room);
        for (const SceneActor* actor : actors) {
            c.view.layout.panes[actor->index] = {pos, ImVec2(pos.x + width, pos.y + h)};
        }
    }
    return h;
}

}  // namespace

float DrawFoldedPanes(DrawContext& c, const std::vector<const SceneActor*>& actors, ImVec2 pos,
                      float width) {
    return FoldedPanes(c, actors, pos, width, true);
}

float FoldedPanesHeight(DrawContext& c, const std::vector<const SceneActor*>& actors, float width) {
    return FoldedPanes(c, actors, ImVec2(0, 0), width, false);
}

float DrawCardGroup(DrawContext& c, const std::vector<int>& cards, const char* title,
                    const char* hint, ImVec2 pos, float width, PaneForm form) {
    return CardGroup(c, cards, title, hint, pos, width, form, true);
}

float CardGroupHeight(DrawContext& c, const std::vector<int>& cards, const char* hint, float width,
                      PaneForm form, ImVec2 pos) {
    return CardGroup(c, cards, "", hint, pos, width, form, false);
}

}  // namespace sockstep::ui
