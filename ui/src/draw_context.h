// What every Draw* function of the main window gets: the frame (read-only), the view state,
// the intents it may record, the palette and fonts. Plus small drawing helpers shared by the
// panels. Internal to sockstep_ui.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "sockstep/model/frame.h"
#include "sockstep/model/intents.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/theme.h"
#include "sockstep/ui/view_state.h"

namespace sockstep::ui {

struct DrawContext {
    const FrameModel& frame;
    ViewState& view;
    Intents& out;
    const Palette& pal;
    ImFont* font;  // regular
    ImFont* bold;
    ImFont* code;
    core::Lang lang;
    // The stage's text size relative to the fonts' (DrawStage: 1, or down to 0.8 when nothing
    // else fits); the stage's files draw at StageFs().
    float stage_scale = 1.0f;
    // The vertical span of the step's cards (SceneCard::in_focus) as the stage last laid them
    // out, measured or drawn: what must fit when the stage scrolls to follow the step.
    // A compact card that says its pane's blocked call as its fact ("waiting in connect() for
    // 0.4 s") instead of the pane's header saying it, when that is less tall (pane.cpp).
    int blocked_fact_id = -1;
    std::string blocked_fact{};
    float focus_top = FLT_MAX;
    float focus_bottom = -FLT_MAX;
    void NoteFocus(float top, float bottom) {
        focus_top = std::min(focus_top, top);
        focus_bottom = std::max(focus_bottom, bottom);
    }
    // Card heights measured this frame (socket_card.cpp's CardHeight): choosing the stage's form
    // lays every card out in several forms and rectangles, and the same card at the same width
    // and text size is as tall each time.
    struct CardSizeKey {
        int socket_id;
        float width;
        float fs;
        bool compact;
        bool operator==(const CardSizeKey&) const = default;
    };
    struct CardSizeHash {
        size_t operator()(const CardSizeKey& k) const {
            size_t h = std::hash<int>()(k.socket_id);
            h = h * 31 + std::hash<float>()(k.width);
            h = h * 31 + std::hash<float>()(k.fs);
            return h * 2 + (k.compact ? 1 : 0);
        }
    };
    mutable std::unordered_map<CardSizeKey, float, CardSizeHash> card_heights = {};

    const char* T(Text text) const { return Tr(text, lang); }
    float StageFs() const { return font->FontSize * stage_scale; }
    std::string F(Text text, std::initializer_list<std::string_view> args) const {
        return Fmt(text, lang, args);
    }
    float Em() const { return ImGui::GetFontSize(); }  // scales with the font
};

// BeginChild/EndChild as one call, so the pair can never be split (EndChild must run even when
// BeginChild returns false).
template <class Body>
void Child(const char* id, ImVec2 size, bool border, ImGuiWindowFlags flags, Body&& body) {
    if (ImGui::BeginChild(id, size, border, flags)) body();
    ImGui::EndChild();
}

// PushID/PopID around a body.
template <class Body>
void WithId(int id, Body&& body) {
    ImGui::PushID(id);
    body();
    ImGui::PopID();
}

template <class Body>
void WithFont(ImFont* font, Body&& body) {
    ImGui::PushFont(font);
    body();
    ImGui::PopFont();
}

void DashedRect(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 colour, float thickness, float dash);
void DashedLine(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 colour, float thickness, float dash);
// A filled rounded badge with `text` centred, at `pos`; returns its size.
// `size`: the text's pixel size, 0 for the font's own.
ImVec2 Badge(ImDrawList* draw, ImFont* font, ImVec2 pos, const char* text, ImU32 fill,
             ImU32 text_colour, float size = 0);
ImVec2 BadgeSize(ImFont* font, const char* text, float size = 0);
// The state badge: the state's colour and ss's spelling for a socket of `type` (a UDP socket's
// UNCONN, SocketStateLabel); "—" when there is none.
ImVec2 StateBadge(ImDrawList* draw, ImFont* font, ImVec2 pos,
                  const std::optional<core::TcpState>& s, float size = 0,
                  core::SockType type = core::SockType::kStream);
ImVec2 StateBadgeSize(ImFont* font, const std::optional<core::TcpState>& s, float size = 0,
                      core::SockType type = core::SockType::kStream);
// "(?)" with a wrapped tooltip.
void HelpMarker(const char* text);
// A tooltip with wrapped text, for the item just drawn; TooltipNow draws it unconditionally.
// Either is never wider than the window.
void WrappedTooltip(const std::string& text);
void TooltipNow(const std::string& text);
// 3.2 → "3.2"; whole seconds past 10 without the decimal.
std::string Seconds(double seconds);
// Text clipped with "…" to `width` pixels. Only for a text with its whole form one hover
// away (the toolbar's lesson title, a combo's preview); meaning on the stage is never cut.
std::string Ellipsize(ImFont* font, const std::string& text, float width);
// The size, at most `fs` and at least `min_fs`, at which `text` fits `width` pixels on one
// line whole; 0 when it does not fit even at `min_fs`.
float WholeSize(ImFont* font, float fs, const std::string& text, float width, float min_fs);
// Wrapped text with `backtick` spans in the code font (lesson texts write call names so),
// drawn at the cursor across the available width; advances the cursor like TextWrapped.
void RichText(const DrawContext& c, const std::string& text, ImU32 colour, ImFont* font = nullptr);
// The height RichText takes for `text` across `width` pixels.
float RichTextHeight(const DrawContext& c, const std::string& text, float width,
                     ImFont* font = nullptr);
// A small arrowhead at `tip` pointing along (tip - from).
void Arrowhead(ImDrawList* draw, ImVec2 from, ImVec2 tip, ImU32 colour, float size);

// Panels of the main window, each in its own file.
void DrawMenuBar(DrawContext& c);
void DrawToolbar(DrawContext& c);
void DrawStatusBanner(DrawContext& c);
// The status banner's height this frame (0 when there is none to draw).
float StatusBannerHeight(const DrawContext& c);
void DrawStage(DrawContext& c, ImVec2 size);
// How well the stage's panes fit a rectangle, as DrawStage measures them: not at all, with the
// step's cards whole once the stage scrolls to them, or whole without scrolling.
enum class StageFit : uint8_t { kNone, kFollows, kWhole };
// For the main window, to give the stage more height when it needs it.
StageFit StageFits(DrawContext& c, ImVec2 size);
// The packet lane under the panes (packet_lane.cpp): the height it asks of a stage `width` wide
// that can spare at most `max_height` for it (never less than one text line: its collapsed
// form), and the lane itself, drawn inside exactly that height.
float PacketLaneHeight(const DrawContext& c, float width, float max_height);
void DrawPacketLane(DrawContext& c, ImVec2 pos, float width, float height);
void DrawKernelTable(DrawContext& c, ImVec2 size);
// The narration (narration.cpp) in a panel of `size`: what does not fit is folded behind a
// control that opens the whole step. NarrationHeight: the panel height that shows everything at
// `width` (the panel's outer width, padding included), for the main window to share out.
void DrawNarration(DrawContext& c, ImVec2 size);
float NarrationHeight(DrawContext& c, float width);
void DrawCodePanel(DrawContext& c, ImVec2 size);
void DrawTimeline(DrawContext& c, ImVec2 size);
void DrawHelpOverlay(DrawContext& c);
void DrawAbout(DrawContext& c);
void DrawCallDialog(DrawContext& c);
void DrawFileDialog(DrawContext& c);
void DrawDiscardDialog(DrawContext& c);
void DrawNotice(DrawContext& c);
void HandleShortcuts(DrawContext& c);
// Was `key` (a KeyCodes code) this frame's queued press, with no Ctrl/Alt/Super? A held key's
// repeats count only with `repeat`.
bool KeyPressed(const DrawContext& c, int key, bool repeat = false);
// The card context menu (free mode): opens the call dialog for `card`'s socket.
void DrawCardMenu(DrawContext& c, const SceneCard& card);
// Opens the call dialog for a new socket() in `actor`'s pane.
void OpenSocketDialog(DrawContext& c, int actor);
// Moves the timeline cursor to `cursor` events (history), or back to live at the end.
void SeekTo(DrawContext& c, size_t cursor);

}  // namespace sockstep::ui
