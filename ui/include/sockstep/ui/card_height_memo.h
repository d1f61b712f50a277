// Card heights measured on earlier frames (socket_card.cpp's CardHeight), for cards the kernel
// has not changed since: a call among 1,000 connections changes one card, and measuring the
// other 1,999 again for every form the stage tries cost the frame after the call milliseconds.
// A card's height hangs on its kernel view (SceneCard::source: the same object while the socket
// is unchanged), on the card's own facts (the key's other fields) and on the text's size, font
// and language. A card whose text counts down (a timer) is measured afresh each frame instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "sockstep/core/snapshot.h"

namespace sockstep::ui {

struct CardHeightKey {
    const core::SocketView* view = nullptr;  // SceneCard::source
    float width = 0;
    float fs = 0;
    const void* font = nullptr;
    bool compact = false;
    uint8_t lang = 0;
    bool file_mode = false;
    // SceneCard's facts outside the kernel's view that a card's text shows.
    uint8_t placement = 0;
    int pane = -1;
    int parent = -1;
    bool accepted = false;
    bool fresh = false;
    int last_err = 0;
    int last_err_call = 0;
    int last_err_event = -1;
    std::string last_err_why;
    bool operator==(const CardHeightKey&) const = default;
};

struct CardHeightKeyHash {
    size_t operator()(const CardHeightKey& k) const {
        size_t h = std::hash<const void*>()(k.view);
        h = h * 31 + std::hash<float>()(k.width);
        h = h * 31 + std::hash<float>()(k.fs);
        return h * 4 + (k.compact ? 2 : 0) + (k.fresh ? 1 : 0);
    }
};

struct CardHeightMemo {
    struct Entry {
        std::shared_ptr<const core::SocketView> keep;  // the key's view stays this object
        float height = 0;
    };
    std::unordered_map<CardHeightKey, Entry, CardHeightKeyHash> heights;
    bool enabled = true;  // false: every card is measured on every frame (what tests compare)
};

}  // namespace sockstep::ui
