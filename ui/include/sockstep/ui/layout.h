// Where things were drawn last frame, in screen coordinates: animations travel between them
// (a code line to a card, a card to another across the wire), and tests find widgets by them.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace sockstep::ui {

struct ScreenRect {
    ImVec2 min{0, 0};
    ImVec2 max{0, 0};
    ImVec2 Center() const { return {(min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f}; }
    bool Contains(ImVec2 p) const {
        return p.x >= min.x && p.y >= min.y && p.x < max.x && p.y < max.y;
    }
    bool Empty() const { return max.x <= min.x || max.y <= min.y; }
};

// Vertices [vtx_begin, vtx_end) of `list` that were meant to stay inside `box`: the layout dump
// checks the glyph quads among them against it (layout_dump.h).
struct TextSpan {
    const ImDrawList* list = nullptr;
    int vtx_begin = 0;
    int vtx_end = 0;
    ScreenRect box;
    std::string what;  // the box, for messages: "card 3"
};

// A socket card as drawn: its rect and the clip rect in effect (its window's, inside its parents').
struct CardDrawn {
    int socket_id = -1;
    ScreenRect rect;
    ScreenRect clip;
};

struct Layout {
    std::map<int, ScreenRect> cards;          // by socket id
    std::map<int, ScreenRect> code_steps;     // first line of each script step
    std::map<int, ScreenRect> code_listings;  // by actor: the rows of its listing in view
    std::map<int, ScreenRect> panes;          // by actor
    std::map<size_t, ScreenRect> packets;     // the packet lane's arrows, by event index
    // Toolbar buttons and panels, for tests and the help overlay.
    ScreenRect step_button;
    ScreenRect reset_button;
    ScreenRect play_button;
    ScreenRect stage;
    // All DrawStage got (main_window.cpp): the panes and wire (`stage`), legend, packet lane.
    ScreenRect stage_area;
    ScreenRect timeline;
    ScreenRect timeline_strip;  // the marks: event i sits at i + 0.5 of n equal slices
    ScreenRect narration;
    ScreenRect narration_more;    // its "More of this step…": none when the whole step fits
    ScreenRect narration_whole;   // the window that shows the whole step, while it is open
    size_t narration_folded = 0;  // blocks of the step the panel folded
    ScreenRect code;
    ScreenRect code_switch;  // the code panel's C / Python switch (a click changes the language)
    ScreenRect kernel_table;
    ScreenRect packet_lane;
    // The lane's form ("wide": a line per packet, "stacked": the call above the arrow,
    // "collapsed": one line; "message" when there is no packet) and every text it drew, whole
    // (its popup's too), for tests.
    std::string packet_lane_form;
    std::vector<std::string> packet_lane_texts;
    ScreenRect back_to_live;
    // The folded code panel's button that opens it, the toolbar's "⋯" menu button, and the
    // status banner (left out when the window is short: the timeline says the same).
    ScreenRect code_bar;
    ScreenRect more_button;
    ScreenRect banner;
    ScreenRect call_run;                  // the free-mode dialog's Run button
    ScreenRect discard_button;            // "Discard the N steps?": Discard
    ScreenRect keep_button;               // and Keep the session
    const char* timeline_chip = nullptr;  // the timeline's LIVE / HISTORY / SAVED LOG text
    std::map<int, ScreenRect> answers;    // answer buttons of the pending question, by choice
    std::vector<TextSpan> text_spans;     // this frame's, for the layout dump
    std::vector<CardDrawn> cards_drawn;
    // When no form of the stage brings every card of the step into view at once (focus_fits
    // false), the stage shows the call's own cards and names the others it could not show on
    // its "▲ 2 more" mark (focus_named, by socket id).
    bool focus_fits = true;
    std::vector<int> focus_named;

    void ClearFrame() {
        cards.clear();
        code_steps.clear();
        code_listings.clear();
        panes.clear();
        packets.clear();
        answers.clear();
        text_spans.clear();
        packet_lane_texts.clear();
        cards_drawn.clear();
        focus_fits = true;
        focus_named.clear();
        back_to_live = {};
        narration_more = {};
        narration_whole = {};
        narration_folded = 0;
        call_run = {};
        discard_button = {};
        keep_button = {};
        timeline_chip = nullptr;
        code_bar = {};
        more_button = {};
        banner = {};
    }
};

}  // namespace sockstep::ui
