// A socket card: descriptor, name, kernel TCP state (its colour), API state, addresses, the
// accept queue as slots, the receive/send queues as bars, the kernel's timer, the last error.
// Sockets no descriptor holds (accept-queue entries, TIME-WAIT after close) are dashed cards
// that say plainly that only the kernel keeps them.
#include "socket_card.h"

#include <algorithm>
#include <cerrno>
#include <cmath>

#include "sockstep/core/address.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

using core::TcpState;

constexpr int kMaxSlots = 8;

float Line(const DrawContext& c) {
    return c.StageFs() * 1.3f;
}
float Pad(const DrawContext& c) {
    return c.StageFs() * 0.45f;
}
// A compact card keeps less room above and below its lines: it is the form for large text.
float CompactPadY(const DrawContext& c) {
    return c.StageFs() * 0.25f;
}

bool IsListener(const SceneCard& card) {
    return card.view.tcp_state == TcpState::kListen;
}

bool ShowsQueues(const SceneCard& card) {
    const auto& s = card.view.tcp_state;
    return card.view.type == core::SockType::kStream && s && *s != TcpState::kListen &&
           *s != TcpState::kClose && *s != TcpState::kTimeWait && *s != TcpState::kSynSent &&
           card.placement != Placement::kAcceptQueue &&
           // A socket the program closed cannot be read any more: only bytes still queued count.
           (card.placement == Placement::kLingering ? card.view.inq > 0 || card.view.outq > 0
                                                    : card.view.inq >= 0 || card.view.outq > 0);
}

bool ShowsTimer(const SceneCard& card) {
    const auto& s = card.view.tcp_state;
    return card.view.timer_ms >= 0 && s &&
           (*s == TcpState::kTimeWait || *s == TcpState::kFinWait2 || *s == TcpState::kFinWait1 ||
            *s == TcpState::kLastAck || *s == TcpState::kClosing);
}

// The countdown, from when the kernel was asked (the event or the live probe) to now.
double TimerLeftSeconds(const DrawContext& c, const SceneCard& card) {
    const double elapsed_ms = static_cast<double>(c.frame.now_us - card.timer_ref_us) / 1000.0;
    return std::max(0.0, (card.view.timer_ms - std::max(0.0, elapsed_ms)) / 1000.0);
}

std::string HeaderText(const DrawContext& c, const SceneCard& card) {
    switch (card.placement) {
        case Placement::kAcceptQueue:
            return card.view.tcp_state == TcpState::kEstablished ? c.T(Text::kQueueEntry)
                                                                 : c.T(Text::kQueueEntryHalf);
        case Placement::kExternal:
            return c.T(Text::kOutsideProgram);
        case Placement::kKernel:
            return c.T(Text::kKernelOnly);
        default:
            return card.view.name;
    }
}

std::string ErrorText(const DrawContext& c, const SceneCard& card) {
    return "✖ " + std::string(core::CallName(card.last_err_call)) +
           "(): " + CardErrnoLine(card, c.frame.log, c.lang);
}

int ErrorLines(const DrawContext& c, const SceneCard& card, float width) {
    if (card.last_err == 0) return 0;
    const std::string text = ErrorText(c, card);
    const ImVec2 size = c.font->CalcTextSizeA(c.StageFs(), FLT_MAX, width, text.c_str());
    return std::max(1, static_cast<int>(std::lround(size.y / c.StageFs())));
}

void Bar(ImDrawList* draw, ImVec2 a, ImVec2 b, float fraction, ImU32 bg, ImU32 fill) {
    draw->AddRectFilled(a, b, bg, 2.0f);
    if (fraction > 0) {
        draw->AddRectFilled(a, ImVec2(a.x + (b.x - a.x) * std::min(1.0f, fraction), b.y), fill,
                            2.0f);
    }
}

// Bytes on a log scale: 1 byte shows, 64 KiB fills the bar.
float BytesFraction(int bytes) {
    if (bytes <= 0) return 0.0f;
    return std::min(1.0f, std::log2(1.0f + static_cast<float>(bytes)) / 16.0f + 0.05f);
}

// Who closed a socket the kernel still keeps, wrapped rather than cut.
std::string LingeringText(const DrawContext& c, const SceneCard& card) {
    const std::string who =
        card.pane >= 0 && card.pane < static_cast<int>(c.frame.scene.actors.size())
            ? c.frame.scene.actors[static_cast<size_t>(card.pane)].name
            : std::string("?");
    return c.F(Text::kLingering, {who});
}

// The height of `text` wrapped at `inner`, in rows of Line().
float WrappedHeight(const DrawContext& c, const std::string& text, float inner,
                    ImFont* font = nullptr) {
    const float fs = c.StageFs();
    return (font ? font : c.font)->CalcTextSizeA(fs, FLT_MAX, inner, text.c_str()).y - fs + Line(c);
}

// The card's "⋯" button (free-mode calls) takes the header's right end.
bool MenuAllowed(const DrawContext& c, const SceneCard& card) {
    return card.placement == Placement::kOwned && !c.frame.file_mode && card.view.actor >= 0;
}

float MenuButtonWidth() {
    return ImGui::CalcTextSize("⋯").x + ImGui::GetStyle().FramePadding.x * 2;
}

std::string FdText(const DrawContext& c, const SceneCard& card) {
    if (card.view.fd >= 0) return c.F(Text::kFd, {std::to_string(card.view.fd)});
    if (card.placement == Placement::kLingering) return c.T(Text::kNoFd);
    return "";
}

// The name's room on the header row: the card less the "⋯" button and the descriptor.
float NameRoom(const DrawContext& c, const SceneCard& card, float inner) {
    const float fs = c.StageFs();
    float room = inner - (MenuAllowed(c, card) ? MenuButtonWidth() + Pad(c) : 0.0f);
    const std::string fd = FdText(c, card);
    if (!fd.empty()) room -= c.font->CalcTextSizeA(fs, FLT_MAX, 0, fd.c_str()).x + fs * 0.6f;
    return std::max(room, fs * 2);
}

// A value (an address) beside its label when it fits there whole, else on rows of its own.
bool ValueBelow(const DrawContext& c, const std::string& value, float room) {
    return c.code->CalcTextSizeA(c.StageFs(), FLT_MAX, 0, value.c_str()).x > room;
}

float AddressRowHeight(const DrawContext& c, Text label, const std::string& value, float inner) {
    const float lw =
        c.font->CalcTextSizeA(c.StageFs(), FLT_MAX, 0, c.T(label)).x + c.StageFs() * 0.45f;
    return ValueBelow(c, value, inner - lw) ? Line(c) + WrappedHeight(c, value, inner, c.code)
                                            : Line(c);
}

// A queue row: its label beside the bar, or (wider than half the card) wrapped on rows of its
// own above the bar.
bool QueueLabelAbove(const DrawContext& c, Text label, float inner) {
    return c.font->CalcTextSizeA(c.StageFs(), FLT_MAX, 0, c.T(label)).x > inner * 0.5f;
}

float QueueRowHeight(const DrawContext& c, Text label, float inner) {
    return QueueLabelAbove(c, label, inner) ? WrappedHeight(c, c.T(label), inner) + Line(c)
                                            : Line(c);
}

// Beside the state badge: the program's API state, or what the kernel's state means.
std::string StateText(const DrawContext& c, const SceneCard& card) {
    const core::SocketView& v = card.view;
    if (v.api_state != core::ApiState::kNone && card.placement == Placement::kOwned) {
        return ApiStateLabel(v.api_state, c.lang);
    }
    if (v.tcp_state && card.placement != Placement::kAcceptQueue) {
        return SocketStateMeaning(*v.tcp_state, v.type, c.lang);
    }
    return "";
}

float Stripe(const DrawContext& c) {
    return std::max(4.0f, c.StageFs() * 0.3f);
}

// The compact card's one fact: what the step can change about this socket.
std::string CompactFact(const DrawContext& c, const SceneCard& card) {
    const core::SocketView& v = card.view;
    if (v.id == c.blocked_fact_id) return c.blocked_fact;
    if (card.last_err != 0) {
        return "✖ " + std::string(core::CallName(card.last_err_call)) +
               "(): " + core::ErrnoName(card.last_err);
    }
    if (IsListener(card)) {
        return c.F(Text::kAcceptQueue, {std::to_string(std::max(0, v.accept_queue)),
                                        std::to_string(std::max(0, v.backlog))});
    }
    if (card.placement == Placement::kAcceptQueue && v.remote) {
        return std::string(c.T(Text::kPeer)) + " " + core::FormatEndpoint(*v.remote);
    }
    if (ShowsTimer(card)) {
        const std::string left = Seconds(TimerLeftSeconds(c, card));
        return v.tcp_state == TcpState::kTimeWait ? c.F(Text::kTimeWaitLeft, {left})
                                                  : c.F(Text::kTimerLeft, {left});
    }
    if (ShowsQueues(card)) {
        const bool sending = v.inq <= 0 && v.outq > 0;
        return std::string(c.T(sending ? Text::kToSend : Text::kToRead)) + " " +
               c.F(Text::kBytes, {std::to_string(std::max(0, sending ? v.outq : v.inq))});
    }
    if (v.local && v.local->port != 0) return core::FormatEndpoint(*v.local);
    return c.T(Text::kNotBound);
}

// A compact queue entry says only "queued": it hangs under the listener whose accept queue it
// is in, and the long header ("kernel: waiting in the accept queue") wrapped to two lines at
// large text. The tooltip keeps the long one.
std::string CompactHeaderText(const DrawContext& c, const SceneCard& card) {
    if (card.placement != Placement::kAcceptQueue) return HeaderText(c, card);
    return c.T(card.view.tcp_state == TcpState::kEstablished ? Text::kQueueEntryShort
                                                             : Text::kQueueEntryHalfShort);
}

// The compact card's name, state chip and fact, left to right, each on the next line when it
// does not fit beside the previous one, and wrapped when it is wider than the card. Draws when
// `draw` is given; returns the height either way.
float CompactBody(const DrawContext& c, const SceneCard& card, ImVec2 at, float inner,
                  ImDrawList* draw) {
    const float fs = c.StageFs();
    const float line = Line(c);
    const float gap = fs * 0.5f;
    float x = at.x;
    float y = at.y;
    bool empty_line = true;
    auto place = [&](float w) {
        if (!empty_line && x + w > at.x + inner) {
            x = at.x;
            y += line;
        }
        empty_line = false;
    };
    auto text = [&](ImFont* font, const std::string& t, ImU32 colour) {
        const float w = font->CalcTextSizeA(fs, FLT_MAX, 0, t.c_str()).x;
        const float own_h = font->CalcTextSizeA(fs, FLT_MAX, inner, t.c_str()).y;
        // Wider than the room left beside what is on the line: its first words stay there when
        // that takes fewer lines than wrapping it on lines of its own (a long fact beside the
        // state chip), so its height does not hang on a few pixels of width.
        const float room = at.x + inner - x;
        if (!empty_line && w > room && room > 0) {
            const char* begin = t.c_str();
            const char* end = begin + t.size();
            const char* cut = font->CalcWordWrapPositionA(fs / font->FontSize, begin, end, room);
            const char* rest = cut;
            while (rest < end && *rest == ' ') ++rest;
            if (cut > begin && rest < end &&
                font->CalcTextSizeA(fs, FLT_MAX, 0, begin, cut).x <= room) {
                const float rest_h = font->CalcTextSizeA(fs, FLT_MAX, inner, rest, end).y;
                if (rest_h < own_h - 0.5f) {
                    if (draw) {
                        draw->AddText(font, fs, ImVec2(x, y), colour, begin, cut);
                        draw->AddText(font, fs, ImVec2(at.x, y + line), colour, rest, end, inner);
                    }
                    y += line + rest_h - fs + line;
                    x = at.x;
                    empty_line = true;
                    return;
                }
            }
        }
        place(w);
        if (w <= at.x + inner - x) {
            if (draw) draw->AddText(font, fs, ImVec2(x, y), colour, t.c_str());
            x += w + gap;
            return;
        }
        // Wider than the card: wrapped on lines of its own.
        if (draw) draw->AddText(font, fs, ImVec2(x, y), colour, t.c_str(), nullptr, inner);
        y += own_h - fs + line;
        x = at.x;
        empty_line = true;
    };
    text(c.bold, CompactHeaderText(c, card), c.pal.text);
    const ImVec2 badge = StateBadgeSize(c.bold, card.view.tcp_state, c.StageFs(), card.view.type);
    place(badge.x);
    if (draw) {
        StateBadge(draw, c.bold, ImVec2(x, y - fs * 0.05f), card.view.tcp_state, c.StageFs(),
                   card.view.type);
    }
    x += badge.x + gap;
    const ImU32 fact_colour = card.last_err == 0           ? c.pal.text
                              : IsSoftErrno(card.last_err) ? c.pal.warn
                                                           : c.pal.error;
    text(card.view.tcp_state || card.last_err ? c.font : c.code, CompactFact(c, card), fact_colour);
    return (empty_line ? y : y + line) - at.y;
}

std::string Tooltip(const DrawContext& c, const SceneCard& card) {
    const core::SocketView& v = card.view;
    std::string t = HeaderText(c, card);
    if (v.fd >= 0) t += "   " + c.F(Text::kFd, {std::to_string(v.fd)});
    t += "\n";
    if (v.tcp_state) {
        t += std::string(SocketStateLabel(*v.tcp_state, v.type)) + ": " +
             SocketStateMeaning(*v.tcp_state, v.type, c.lang);
    } else {
        t += c.T(Text::kNoTcpState);
    }
    if (v.api_state != core::ApiState::kNone) {
        t += "\nAPI: " + std::string(ApiStateLabel(v.api_state, c.lang));
    }
    t += "\n" + std::string(core::FamilyName(v.family)) + " " +
         std::string(core::SockTypeName(v.type));
    if (v.local) t += "\n" + std::string(c.T(Text::kLocal)) + " " + core::FormatEndpoint(*v.local);
    if (v.remote) t += "\n" + std::string(c.T(Text::kPeer)) + " " + core::FormatEndpoint(*v.remote);
    if (v.inode != 0) t += "\n" + std::string(c.T(Text::kInode)) + " " + std::to_string(v.inode);
    if (card.placement == Placement::kOwned && !c.frame.file_mode) {
        t += "\n\n" + std::string(c.T(Text::kCardMenuHint));
    }
    return t;
}

void DrawFullBody(DrawContext& c, const SceneCard& card, ImVec2 at, float inner);

}  // namespace

std::string CardErrnoLine(const SceneCard& card, const core::LogView& log, core::Lang lang) {
    // ECONNREFUSED says more with the socket's type: a TCP RST, a UDP ICMP port unreachable.
    if (card.last_err == ECONNREFUSED && card.last_err_event >= 0 &&
        static_cast<size_t>(card.last_err_event) < log.size()) {
        const core::Event& e = log[static_cast<size_t>(card.last_err_event)];
        if (e.err == card.last_err) return ErrnoLineOf(e, card.last_err_why, lang);
    }
    return ErrnoLine(card.last_err, card.last_err_why, lang);
}

namespace {

float MeasureCardHeight(const DrawContext& c, const SceneCard& card, float width, bool compact) {
    if (compact) {
        const float inner = width - Stripe(c) - 2 * Pad(c);
        return CompactBody(c, card, ImVec2(0, 0), inner, nullptr) + 2 * CompactPadY(c);
    }
    int lines = 1;  // state
    const float inner = width - Stripe(c) - 2 * Pad(c);
    // rows that wrap: their height beyond the lines counted
    float wrapped = WrappedHeight(c, HeaderText(c, card), NameRoom(c, card, inner), c.bold);
    if (card.placement == Placement::kLingering) {
        wrapped += WrappedHeight(c, LingeringText(c, card), inner);
    }
    const std::string state_text = StateText(c, card);
    const float beside =
        inner - StateBadgeSize(c.bold, card.view.tcp_state, c.StageFs(), card.view.type).x -
        c.StageFs() * 0.5f;
    if (card.placement == Placement::kAcceptQueue && card.view.remote) {
        // Queue entries: the peer on the state line, or whole on rows below it.
        const std::string peer = core::FormatEndpoint(*card.view.remote);
        const float lw =
            c.font->CalcTextSizeA(c.StageFs(), FLT_MAX, 0, c.T(Text::kPeer)).x + c.StageFs() * 0.4f;
        if (ValueBelow(c, peer, beside - lw)) wrapped += WrappedHeight(c, peer, inner, c.code);
    } else if (!state_text.empty()) {
        wrapped += WrappedHeight(c, state_text, beside) - Line(c);
    }
    if (card.placement != Placement::kAcceptQueue) {
        if (card.view.local && card.view.local->port != 0) {
            wrapped +=
                AddressRowHeight(c, Text::kLocal, core::FormatEndpoint(*card.view.local), inner);
        } else {
            ++lines;  // "no address yet"
        }
        if (card.view.remote) {
            wrapped +=
                AddressRowHeight(c, Text::kPeer, core::FormatEndpoint(*card.view.remote), inner);
        }
    }
    if (IsListener(card)) ++lines;
    if (ShowsQueues(card)) {
        wrapped += QueueRowHeight(c, Text::kToRead, inner);
        if (card.view.outq > 0) wrapped += QueueRowHeight(c, Text::kToSend, inner);
    }
    if (ShowsTimer(card)) ++lines;
    if (card.view.tcp_state == TcpState::kSynSent && card.view.retransmits > 0) {
        wrapped += WrappedHeight(
            c, c.F(Text::kSynRetransmits, {std::to_string(card.view.retransmits)}), inner);
    }
    if (card.accepted && card.fresh) wrapped += WrappedHeight(c, c.T(Text::kSplitOff), inner);
    const float body = Line(c) * static_cast<float>(lines) + wrapped;
    const float error = static_cast<float>(ErrorLines(c, card, width - Stripe(c) - 2 * Pad(c))) *
                        c.StageFs() * 1.15f;
    return body + error + 2 * Pad(c);
}

}  // namespace

float CardHeight(const DrawContext& c, const SceneCard& card, float width, bool compact) {
    // The card that says its pane's blocked call is measured both ways (pane.cpp): not kept.
    if (card.view.id == c.blocked_fact_id) return MeasureCardHeight(c, card, width, compact);
    // Kept across frames while its kernel view and its own facts stay the same; a countdown's
    // text changes every frame, so such a card is kept for this frame only (below).
    if (card.source && !ShowsTimer(card) && c.view.card_heights.enabled) {
        CardHeightKey key;
        key.view = card.source.get();
        key.width = width;
        key.fs = c.StageFs();
        key.font = c.font;
        key.compact = compact;
        key.lang = static_cast<uint8_t>(c.lang);
        key.file_mode = c.frame.file_mode;
        key.placement = static_cast<uint8_t>(card.placement);
        key.pane = card.pane;
        key.parent = card.parent;
        key.accepted = card.accepted;
        key.fresh = card.fresh;
        key.last_err = card.last_err;
        key.last_err_call = static_cast<int>(card.last_err_call);
        key.last_err_event = card.last_err_event;
        key.last_err_why = card.last_err_why;
        auto& memo = c.view.card_heights.heights;
        if (auto it = memo.find(key); it != memo.end()) return it->second.height;
        const float h = MeasureCardHeight(c, card, width, compact);
        // A few widths and text sizes of every card; far more means a long resize: start over.
        if (memo.size() >= std::max<size_t>(4096, c.frame.scene.cards.size() * 16)) memo.clear();
        memo.emplace(std::move(key), CardHeightMemo::Entry{card.source, h});
        return h;
    }
    const DrawContext::CardSizeKey key{card.view.id, width, c.StageFs(), compact};
    if (auto it = c.card_heights.find(key); it != c.card_heights.end()) return it->second;
    const float h = MeasureCardHeight(c, card, width, compact);
    c.card_heights.emplace(key, h);
    return h;
}

void DrawCard(DrawContext& c, const SceneCard& card, ImVec2 pos, float width, float height,
              bool compact) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const core::SocketView& v = card.view;
    const ImVec2 end(pos.x + width, pos.y + height);
    c.view.layout.cards[v.id] = {pos, end};

    // Skip what is scrolled out of sight: a thousand cards must stay cheap.
    const ImVec2 clip_min = draw->GetClipRectMin();
    const ImVec2 clip_max = draw->GetClipRectMax();
    c.view.layout.cards_drawn.push_back({v.id, {pos, end}, {clip_min, clip_max}});
    if (end.y < clip_min.y || pos.y > clip_max.y) return;
    // A card the stage's edge would cut, when nothing else fits, is left out rather than drawn
    // with its words cut (half a card reads as other facts); the step's own cards are scrolled
    // into view where they fit together. Half a pixel allows for fractional positions.
    if (pos.y < clip_min.y - 0.5f || end.y > clip_max.y + 0.5f) return;
    // Every glyph drawn from here to the end of the card must lie inside the card.
    struct SpanEnd {
        Layout& layout;
        size_t index;
        ImDrawList* draw;
        ~SpanEnd() { layout.text_spans[index].vtx_end = draw->VtxBuffer.Size; }
    };
    c.view.layout.text_spans.push_back({draw,
                                        draw->VtxBuffer.Size,
                                        draw->VtxBuffer.Size,
                                        {pos, end},
                                        "card " + std::to_string(v.id)});
    const SpanEnd span_end{c.view.layout, c.view.layout.text_spans.size() - 1, draw};

    const bool solid = card.placement == Placement::kOwned;
    const float rounding = c.StageFs() * 0.35f;
    const ImU32 state_colour = v.tcp_state ? TcpStateColour(*v.tcp_state) : NoStateColour();
    draw->AddRectFilled(pos, end, solid ? c.pal.card_bg : c.pal.kernel_bg, rounding);
    if (card.touched || card.fresh) {
        draw->AddRectFilled(pos, end, c.pal.accent_soft, rounding);
    }
    // A stripe in the state's colour down the left edge: the state at a glance.
    const float stripe = Stripe(c);
    draw->AddRectFilled(pos, ImVec2(pos.x + stripe, end.y), state_colour, rounding,
                        ImDrawFlags_RoundCornersLeft);
    const float border = card.touched || card.fresh ? 2.5f : 1.5f;
    const ImU32 border_colour = card.touched || card.fresh ? c.pal.accent
                                : solid                    ? c.pal.card_border
                                                           : c.pal.kernel_border;
    if (solid) {
        draw->AddRect(pos, end, border_colour, rounding, 0, border);
    } else {
        DashedRect(draw, pos, end, border_colour, border, c.StageFs() * 0.4f);
    }

    const float pad = Pad(c);
    const float x = pos.x + stripe + pad;
    const float inner = end.x - pad - x;
    const float y = pos.y + (compact ? CompactPadY(c) : pad);
    const float fs = c.StageFs();

    // Interaction: hover for details, right-click (or the ⋯ button) for free-mode calls.
    ImGui::SetCursorScreenPos(pos);
    ImGui::PushID(v.id);
    ImGui::InvisibleButton("card", ImVec2(width, height));
    ImGui::SetItemAllowOverlap();
    const bool hovered = ImGui::IsItemHovered();
    const bool menu_allowed = MenuAllowed(c, card);
    if (menu_allowed && ImGui::BeginPopupContextItem("menu")) {
        DrawCardMenu(c, card);
        ImGui::EndPopup();
    }
    if (menu_allowed && !compact) {
        const char* dots = "⋯";
        ImGui::SetCursorScreenPos(ImVec2(end.x - pad - MenuButtonWidth(), y - 2));
        if (ImGui::SmallButton(dots)) ImGui::OpenPopup("menu");
    }
    ImGui::PopID();
    if (compact) {
        CompactBody(c, card, ImVec2(x, y), inner, draw);
    } else {
        DrawFullBody(c, card, ImVec2(x, y), inner);
    }
    if (hovered) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(fs * 26.0f);
        ImGui::TextUnformatted(Tooltip(c, card).c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

namespace {

// The full card's rows, from its header down.
void DrawFullBody(DrawContext& c, const SceneCard& card, ImVec2 at, float inner) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const core::SocketView& v = card.view;
    const float pad = Pad(c);
    const float x = at.x;
    float y = at.y;
    const float line = Line(c);
    const float fs = c.StageFs();
    const ImVec2 end(x + inner + pad, 0);
    const ImU32 state_colour = v.tcp_state ? TcpStateColour(*v.tcp_state) : NoStateColour();

    // Header: name and descriptor.
    const std::string header = HeaderText(c, card);
    // The name wraps in its room (never cut); the descriptor follows its first line.
    const std::string fd_text = FdText(c, card);
    const float name_room = NameRoom(c, card, inner);
    draw->AddText(c.bold, fs, ImVec2(x, y), c.pal.text, header.c_str(), nullptr, name_room);
    if (!fd_text.empty()) {
        const float name_w = c.bold->CalcTextSizeA(fs, FLT_MAX, name_room, header.c_str()).x;
        draw->AddText(c.font, fs, ImVec2(x + name_w + fs * 0.6f, y), c.pal.text_dim,
                      fd_text.c_str());
    }
    y += WrappedHeight(c, header, name_room, c.bold);
    if (card.placement == Placement::kLingering) {
        const std::string text = LingeringText(c, card);
        draw->AddText(c.font, fs, ImVec2(x, y), c.pal.text_dim, text.c_str(), nullptr, inner);
        y += WrappedHeight(c, text, inner);
    }

    // The kernel's TCP state and the program's API state.
    const ImVec2 badge =
        StateBadge(draw, c.bold, ImVec2(x, y - fs * 0.05f), v.tcp_state, c.StageFs(), v.type);
    const std::string api = StateText(c, card);
    const float ax = x + badge.x + fs * 0.5f;
    if (card.placement == Placement::kAcceptQueue && v.remote) {
        // A connection in the queue is told apart by who it came from.
        const std::string label = c.T(Text::kPeer);
        draw->AddText(c.font, fs, ImVec2(ax, y), c.pal.text_dim, label.c_str());
        const float lw = c.font->CalcTextSizeA(fs, FLT_MAX, 0, label.c_str()).x + fs * 0.4f;
        const std::string peer = core::FormatEndpoint(*v.remote);
        if (ValueBelow(c, peer, end.x - pad - ax - lw)) {  // whole, on rows of its own
            draw->AddText(c.code, fs, ImVec2(x, y + line), c.pal.text, peer.c_str(), nullptr,
                          inner);
            y += WrappedHeight(c, peer, inner, c.code);
        } else {
            draw->AddText(c.code, fs, ImVec2(ax + lw, y), c.pal.text, peer.c_str());
        }
    } else if (!api.empty()) {
        // Wrapped beside the badge: an explanation is never cut.
        draw->AddText(c.font, fs, ImVec2(ax, y), c.pal.text_dim, api.c_str(), nullptr,
                      end.x - pad - ax);
        y += WrappedHeight(c, api, end.x - pad - ax) - line;
    }
    y += line;

    // Addresses.
    auto address_row = [&](Text label, const std::string& value, ImU32 colour) {
        const std::string l = c.T(label);
        draw->AddText(c.font, fs, ImVec2(x, y), c.pal.text_dim, l.c_str());
        const float lw = c.font->CalcTextSizeA(fs, FLT_MAX, 0, l.c_str()).x + fs * 0.45f;
        if (ValueBelow(c, value, inner - lw)) {  // whole, on rows of its own
            y += line;
            draw->AddText(c.code, fs, ImVec2(x, y), colour, value.c_str(), nullptr, inner);
            y += WrappedHeight(c, value, inner, c.code);
        } else {
            draw->AddText(c.code, fs, ImVec2(x + lw, y), colour, value.c_str());
            y += line;
        }
    };
    if (card.placement != Placement::kAcceptQueue) {
        if (v.local && v.local->port != 0) {
            address_row(Text::kLocal, core::FormatEndpoint(*v.local), c.pal.text);
        } else {
            draw->AddText(c.font, fs, ImVec2(x, y), c.pal.text_dim, c.T(Text::kNotBound));
            y += line;
        }
    }
    if (v.remote && card.placement != Placement::kAcceptQueue) {
        address_row(Text::kPeer, core::FormatEndpoint(*v.remote), c.pal.text);
    }

    // A listener's accept queue: one slot per backlog entry, filled ones waiting for accept().
    if (IsListener(card)) {
        const int queue = std::max(0, v.accept_queue);
        const int backlog = std::max(0, v.backlog);
        const std::string label =
            c.F(Text::kAcceptQueue, {std::to_string(queue), std::to_string(backlog)});
        draw->AddText(c.font, fs, ImVec2(x, y), c.pal.text, label.c_str());
        float sx = x + c.font->CalcTextSizeA(fs, FLT_MAX, 0, label.c_str()).x + fs * 0.5f;
        const float slot = fs * 0.8f;
        // Linux lets backlog + 1 connections wait: draw every waiting one, even past backlog.
        const int shown = std::min(std::max(backlog, queue), kMaxSlots);
        for (int i = 0; i < shown && sx + slot <= end.x - pad; ++i) {
            const ImVec2 a(sx, y + (line - slot) * 0.5f - fs * 0.1f);
            const ImVec2 b(sx + slot, a.y + slot);
            if (i < queue) {
                draw->AddRectFilled(a, b, TcpStateColour(TcpState::kEstablished), 2.0f);
            } else {
                draw->AddRect(a, b, c.pal.slot_empty, 2.0f, 0, 1.5f);
            }
            sx += slot + fs * 0.25f;
        }
        if (std::max(backlog, queue) > shown && sx + fs <= end.x - pad) {
            draw->AddText(c.font, fs, ImVec2(sx, y), c.pal.text_dim, "…");
        }
        // The queue slots explain themselves on hover.
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        ImGui::PushID(v.id);
        ImGui::InvisibleButton("queue", ImVec2(inner, line));
        ImGui::SetItemAllowOverlap();
        WrappedTooltip(c.T(Text::kAcceptQueueTip));
        ImGui::PopID();
        y += line;
    }

    // Receive and send queues of a connection.
    if (ShowsQueues(card)) {
        auto bar_row = [&](Text label, int bytes, ImU32 colour) {
            const std::string l = c.T(label);
            const std::string n = c.F(Text::kBytes, {std::to_string(std::max(0, bytes))});
            const float nw = c.font->CalcTextSizeA(fs, FLT_MAX, 0, n.c_str()).x;
            float bx = x + c.font->CalcTextSizeA(fs, FLT_MAX, 0, l.c_str()).x + fs * 0.4f;
            draw->AddText(c.font, fs, ImVec2(x, y), c.pal.text_dim, l.c_str(), nullptr, inner);
            if (QueueLabelAbove(c, label, inner)) {
                y += WrappedHeight(c, l, inner);
                bx = x;
            }
            const float bw = std::max(fs, end.x - pad - nw - fs * 0.4f - bx);
            Bar(draw, ImVec2(bx, y + fs * 0.2f), ImVec2(bx + bw, y + fs * 0.85f),
                BytesFraction(bytes), c.pal.bar_bg, colour);
            draw->AddText(c.font, fs, ImVec2(end.x - pad - nw, y),
                          bytes > 0 ? c.pal.text : c.pal.text_dim, n.c_str());
            y += line;
        };
        bar_row(Text::kToRead, v.inq, TcpStateColour(TcpState::kEstablished));
        if (v.outq > 0) bar_row(Text::kToSend, v.outq, TcpStateColour(TcpState::kSynSent));
    }

    // The kernel's timer: TIME-WAIT counts down its ~60 s.
    if (ShowsTimer(card)) {
        const double left = TimerLeftSeconds(c, card);
        const bool time_wait = v.tcp_state == TcpState::kTimeWait;
        const std::string text = time_wait ? c.F(Text::kTimeWaitLeft, {Seconds(left)})
                                           : c.F(Text::kTimerLeft, {Seconds(left)});
        const float tw = c.font->CalcTextSizeA(fs, FLT_MAX, 0, text.c_str()).x;
        draw->AddText(c.font, fs, ImVec2(x, y), c.pal.text, text.c_str());
        if (time_wait) {
            const float bx = x + tw + fs * 0.5f;
            Bar(draw, ImVec2(bx, y + fs * 0.2f), ImVec2(end.x - pad, y + fs * 0.85f),
                static_cast<float>(left / 60.0), c.pal.bar_bg, state_colour);
        }
        y += line;
    }
    if (v.tcp_state == TcpState::kSynSent && v.retransmits > 0) {
        const std::string text = c.F(Text::kSynRetransmits, {std::to_string(v.retransmits)});
        draw->AddText(c.font, fs, ImVec2(x, y), c.pal.warn, text.c_str(), nullptr, inner);
        y += WrappedHeight(c, text, inner);
    }
    if (card.accepted && card.fresh) {
        draw->AddText(c.font, fs, ImVec2(x, y), c.pal.accent, c.T(Text::kSplitOff), nullptr, inner);
        y += WrappedHeight(c, c.T(Text::kSplitOff), inner);
    }
    if (card.last_err != 0) {
        const std::string text = ErrorText(c, card);
        draw->AddText(c.font, fs, ImVec2(x, y),
                      IsSoftErrno(card.last_err) ? c.pal.warn : c.pal.error, text.c_str(), nullptr,
                      inner);
    }
}

}  // namespace

}  // namespace sockstep::ui
