// The packet lane under the panes: a sequence diagram of what was captured on lo, with the
// client side's lifeline on the left and the server side's on the right. Each arrow is one
// captured segment or datagram (flags, relative seq/ack, window, length), labelled with the call
// that sent it; the current call's packets stand out. Without capture it says why, and how to
// grant it: nothing is ever drawn from a guess.
//
// Nothing in the lane is cut or ellipsized. It takes one of three forms for the room it has:
// wide (a line per packet: the call, the arrow, the ports), stacked (the call wrapped above the
// arrow, the label shortened by rule), or collapsed (one line: "3 packets ▶" and the last
// packet). What does not fit is folded: the header and the collapsed line open a popup with
// every packet, whole, and each row's tooltip has the packet in full.
#include <algorithm>
#include <string>
#include <vector>

#include "draw_context.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

constexpr size_t kMaxRows = 8;
// The popup lists at most this many, the newest.
constexpr size_t kPopupRows = 60;
constexpr const char* kPopupId = "packet_lane_all";
// Label detail levels (PacketLabel): 0 everything, 3 the flags alone.
constexpr int kLevels = 4;

float Line(const DrawContext& c) {
    return c.font->FontSize * 1.38f;
}
float Pad(const DrawContext& c) {
    return c.font->FontSize * 0.5f;
}
float BottomPad(const DrawContext& c) {
    return c.font->FontSize * 0.3f;
}
float TextWidth(ImFont* font, const std::string& text) {
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, text.c_str()).x;
}

ImU32 PacketColour(const DrawContext& c, const core::Packet& p) {
    if (p.transport == core::Transport::kUdp) return c.pal.wire;
    if (p.transport == core::Transport::kIcmp) return c.pal.error;
    if (p.flags & core::kTcpRst) return c.pal.error;
    if (p.flags & core::kTcpSyn) return TcpStateColour(core::TcpState::kSynSent);
    if (p.flags & core::kTcpFin) return TcpStateColour(core::TcpState::kFinWait1);
    if (p.length > 0) return c.pal.accent;
    return TcpStateColour(core::TcpState::kEstablished);
}

ImU32 Faded(ImU32 colour) {
    return (colour & 0x00FFFFFF) | (110u << 24);
}

// The arrow's label at `level`: 0 is core::PacketSummary; 1 leaves out the window (and a zero
// length); 2 keeps the flags and a payload's length; 3 the flags alone. Each is true as far as
// it goes: the tooltip has the rest.
std::string PacketLabel(const core::Packet& p, int level) {
    // An ICMP error's label names it; what it is about (the quoted ports) stands in the ports
    // column and the whole summary in the tooltip. Shorter, it drops "(type 3 code 3)".
    if (p.icmp) {
        const std::string name = core::IcmpErrorName(p);
        return level < 2 ? name : name.substr(0, name.find(" (type "));
    }
    if (level == 0) return core::PacketSummary(p);
    const std::string len = " len=" + std::to_string(p.length);
    if (p.transport == core::Transport::kUdp) return level < 3 ? "UDP" + len : "UDP";
    std::string out = "[" + core::TcpFlagsText(p.flags) + "]";
    if (level == 1) {
        out += " seq=" + std::to_string(p.rel_seq);
        if (p.flags & core::kTcpAck) out += " ack=" + std::to_string(p.rel_ack);
    }
    if (level < 3 && p.length > 0) out += len;
    return out;
}

std::string Cause(const DrawContext& c, const ScenePacket& sp) {
    return sp.cause.empty() ? std::string(c.T(Text::kPacketByKernel)) : sp.cause;
}

// An ICMP error is about the datagram it quotes: its ports are that datagram's, reversed (the
// error goes back to the socket that sent it).
std::string Ports(const core::Packet& p) {
    const core::Endpoint& src = p.icmp ? p.icmp->quoted_dst : p.src;
    const core::Endpoint& dst = p.icmp ? p.icmp->quoted_src : p.dst;
    return ":" + std::to_string(src.port) + " → :" + std::to_string(dst.port);
}

std::string EndName(const std::string& name, const core::Endpoint& end) {
    return (name.empty() ? std::string() : name + " ") + core::FormatEndpoint(end);
}

// "client 127.0.0.1:5000 → server 127.0.0.1:6000". An ICMP error comes from a host (its
// address), to the socket that sent what it quotes.
std::string Ends(const ScenePacket& sp, const char* arrow) {
    const core::Packet& p = sp.packet;
    return (p.icmp ? p.src.host : EndName(sp.from_name, p.src)) + arrow +
           EndName(sp.to_name, p.icmp ? p.icmp->quoted_src : p.dst);
}

std::string Tooltip(const DrawContext& c, const ScenePacket& sp) {
    const core::Packet& p = sp.packet;
    std::string out = Ends(sp, "  →  ") + "\n" + core::PacketSummary(p);
    if (p.transport == core::Transport::kTcp) {
        out += "  (raw seq " + std::to_string(p.seq);
        if (p.flags & core::kTcpAck) out += ", ack " + std::to_string(p.ack);
        out += ")";
    }
    out += "\n" + (sp.cause.empty() ? std::string(c.T(Text::kPacketByKernel))
                                    : c.F(Text::kPacketSentBy, {sp.cause}));
    const std::string meaning = ExplainPacket(p, c.lang);
    if (!meaning.empty()) out += "\n\n" + meaning;
    if (p.transport == core::Transport::kTcp) out += "\n\n" + std::string(c.T(Text::kPacketTip));
    return out;
}

// How many packets were captured, how many are not in the lane, how many were lost: "" when
// there is nothing to say.
std::string CountText(const DrawContext& c, size_t shown) {
    const SceneModel& scene = c.frame.scene;
    std::string count;
    if (scene.packets_total > 0) {
        count = c.F(Text::kPacketsCount, {std::to_string(scene.packets_total)});
        if (scene.packets_total > shown) {
            count +=
                " · " + c.F(Text::kPacketsEarlier, {std::to_string(scene.packets_total - shown)});
        }
    }
    if (c.frame.capture.dropped > 0) {
        count += (count.empty() ? "" : " · ") +
                 c.F(Text::kCaptureDropped, {std::to_string(c.frame.capture.dropped)});
    }
    return count;
}

// The lane's message when it has no packet: the full text, and the one-line form.
std::string Message(const DrawContext& c) {
    const CaptureInfo& cap = c.frame.capture;
    if (cap.live && !cap.active) {
        return cap.command.empty() ? c.F(Text::kCaptureFailed, {core::ErrnoName(cap.error)})
                                   : std::string(c.T(Text::kCaptureOff));
    }
    return c.T(cap.live ? Text::kPacketsNone : Text::kPacketsNoneInLog);
}
std::string ShortMessage(const DrawContext& c) {
    const CaptureInfo& cap = c.frame.capture;
    if (cap.live && !cap.active) {
        return cap.command.empty() ? c.F(Text::kCaptureFailedShort, {core::ErrnoName(cap.error)})
                                   : std::string(c.T(Text::kCaptureOffShort));
    }
    return c.T(cap.live ? Text::kPacketsNoneShort : Text::kPacketsNoneInLogShort);
}
bool CaptureOff(const DrawContext& c) {
    return c.frame.capture.live && !c.frame.capture.active;
}

// Text drawn by the lane, recorded whole for tests.
void LaneText(DrawContext& c, ImFont* font, ImVec2 at, ImU32 colour, const std::string& text,
              float wrap = 0.0f) {
    ImGui::GetWindowDrawList()->AddText(font, font->FontSize, at, colour, text.c_str(), nullptr,
                                        wrap);
    c.view.layout.packet_lane_texts.push_back(text);
}

// The full message (and the setcap command with its Copy button), wrapped across `width`.
void DrawFullMessage(DrawContext& c, float width) {
    const CaptureInfo& cap = c.frame.capture;
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::PushStyleColor(
        ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(CaptureOff(c) ? c.pal.warn : c.pal.text_dim));
    const std::string message = Message(c);
    ImGui::TextWrapped("%s", message.c_str());
    c.view.layout.packet_lane_texts.push_back(message);
    ImGui::PopStyleColor();
    if (CaptureOff(c) && !cap.command.empty()) {
        WithFont(c.code, [&] { ImGui::TextWrapped("%s", cap.command.c_str()); });
        c.view.layout.packet_lane_texts.push_back(cap.command);
        if (ImGui::SmallButton(c.T(Text::kCopy))) {
            ImGui::SetClipboardText(cap.command.c_str());
            c.view.Notify(c.T(Text::kCopied), false, 3.0);
        }
    }
    ImGui::PopTextWrapPos();
}

float FullMessageHeight(const DrawContext& c, float width) {
    const float fs = c.font->FontSize;
    const ImGuiStyle& style = ImGui::GetStyle();
    float h = c.font->CalcTextSizeA(fs, FLT_MAX, width, Message(c).c_str()).y;
    if (CaptureOff(c) && !c.frame.capture.command.empty()) {
        h += style.ItemSpacing.y +
             c.code->CalcTextSizeA(fs, FLT_MAX, width, c.frame.capture.command.c_str()).y;
        h += style.ItemSpacing.y + fs;  // the Copy button (SmallButton: no vertical padding)
    }
    return h;
}

// Every packet so far (the newest kPopupRows), whole and wrapped; or the full message.
void DrawPopup(DrawContext& c) {
    const float fs = c.font->FontSize;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowSizeConstraints(ImVec2(std::min(fs * 16, display.x * 0.9f), 0),
                                        ImVec2(display.x * 0.9f, display.y * 0.8f));
    if (!ImGui::BeginPopup(kPopupId)) return;
    const float wrap = std::min(fs * 34, display.x * 0.85f);
    const SceneModel& scene = c.frame.scene;
    WithFont(c.bold, [&] { ImGui::TextUnformatted(c.T(Text::kPacketsTitle)); });
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
    const std::string count = CountText(c, std::min(kPopupRows, scene.packets.size()));
    if (!count.empty()) ImGui::TextWrapped("%s", count.c_str());
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    if (scene.packets.empty()) DrawFullMessage(c, wrap);
    const size_t first = scene.packets.size() > kPopupRows ? scene.packets.size() - kPopupRows : 0;
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
    for (size_t i = first; i < scene.packets.size(); ++i) {
        const ScenePacket& sp = scene.packets[i];
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(
                                                 sp.current ? c.pal.accent : c.pal.text_dim));
        const std::string cause = Cause(c, sp);
        ImGui::TextWrapped("%s", cause.c_str());
        ImGui::PopStyleColor();
        const std::string line = Ends(sp, " → ") + "  " + core::PacketSummary(sp.packet);
        WithFont(c.code, [&] { ImGui::TextWrapped("%s", line.c_str()); });
        c.view.layout.packet_lane_texts.push_back(cause);
        c.view.layout.packet_lane_texts.push_back(line);
    }
    ImGui::PopTextWrapPos();
    ImGui::EndPopup();
}

enum class Form { kWide, kStacked, kCollapsed };

const char* FormName(Form form) {
    switch (form) {
        case Form::kWide:
            return "wide";
        case Form::kStacked:
            return "stacked";
        case Form::kCollapsed:
            return "collapsed";
    }
    return "";
}

// One packet's row as planned: its height, and where its texts go.
struct LaneRow {
    size_t packet = 0;
    float height = 0;
    bool ports_below = false;  // stacked: the ports on their own line under the call
};

struct Plan {
    Form form = Form::kCollapsed;
    float left_x = 0;  // the lifelines, from the lane's left edge
    float right_x = 0;
    int level = 0;
    std::vector<LaneRow> rows;  // oldest first
};

// The lowest detail level at which every label of `packets[first..]` fits `room`, or -1.
int LabelLevel(const DrawContext& c, size_t first, float room, int max_level) {
    const std::vector<ScenePacket>& packets = c.frame.scene.packets;
    for (int level = 0; level <= max_level; ++level) {
        float widest = 0;
        for (size_t i = first; i < packets.size(); ++i) {
            widest = std::max(widest, TextWidth(c.code, PacketLabel(packets[i].packet, level)));
        }
        if (widest + c.font->FontSize * 0.6f <= room) return level;
    }
    return -1;
}

Plan MakePlan(const DrawContext& c, float width, float height) {
    const float fs = c.font->FontSize;
    const float line = Line(c);
    const float pad = Pad(c);
    const float body = height - line - BottomPad(c);
    const std::vector<ScenePacket>& packets = c.frame.scene.packets;
    Plan plan;
    if (body < line || packets.empty()) return plan;  // collapsed (or the message)

    // Wide: a line per packet, the call right-aligned before the client's lifeline, the ports
    // after the server's, the label whole (or without the window) between them.
    const size_t slots = std::min(kMaxRows, static_cast<size_t>(body / line));
    const size_t first = packets.size() > slots ? packets.size() - slots : 0;
    float cause_w = 0;
    float ports_w = 0;
    for (size_t i = first; i < packets.size(); ++i) {
        cause_w = std::max(cause_w, TextWidth(c.font, Cause(c, packets[i])));
        ports_w = std::max(ports_w, TextWidth(c.code, Ports(packets[i].packet)));
    }
    const float side = std::max(cause_w, ports_w) + pad + fs * 0.8f;
    for (const auto& [left, right] :
         {std::pair{side, width - side},
          std::pair{pad + cause_w + fs * 0.8f, width - pad - ports_w - fs * 0.8f}}) {
        const int level = LabelLevel(c, first, right - left - fs * 1.4f, 1);
        if (level < 0) continue;
        plan.form = Form::kWide;
        plan.left_x = left;
        plan.right_x = right;
        plan.level = level;
        for (size_t i = first; i < packets.size(); ++i) plan.rows.push_back({i, line, false});
        return plan;
    }

    // Stacked: the call wrapped across the lane with the ports beside it (or under it), then
    // the arrow from edge to edge; as many of the newest as fit.
    plan.form = Form::kStacked;
    plan.left_x = pad + fs * 0.3f;
    plan.right_x = width - pad - fs * 0.3f;
    const float text_w = width - 2 * pad;
    plan.level = LabelLevel(c, first, plan.right_x - plan.left_x - fs * 0.6f, kLevels - 1);
    if (plan.level < 0) plan.level = kLevels - 1;
    float used = 0;
    for (size_t i = packets.size(); i-- > 0;) {
        const std::string cause = Cause(c, packets[i]);
        const float cw = TextWidth(c.font, cause);
        const float pw = TextWidth(c.code, Ports(packets[i].packet));
        LaneRow row{i, 0, cw + fs + pw > text_w};
        row.height = c.font->CalcTextSizeA(fs, FLT_MAX, text_w, cause.c_str()).y +
                     (row.ports_below ? fs : 0.0f) + line;
        if (used + row.height > body || plan.rows.size() == kMaxRows) break;
        used += row.height;
        plan.rows.insert(plan.rows.begin(), row);
    }
    if (plan.rows.empty()) plan.form = Form::kCollapsed;
    return plan;
}

void DrawRow(DrawContext& c, const Plan& plan, const LaneRow& row, ImVec2 at, float width) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.font->FontSize;
    const float line = Line(c);
    const ScenePacket& sp = c.frame.scene.packets[row.packet];
    const core::Packet& p = sp.packet;
    ImU32 colour = PacketColour(c, p);
    const ImU32 text = sp.current ? c.pal.text : c.pal.text_dim;
    if (!sp.current) colour = Faded(colour);
    if (sp.current) {
        draw->AddRectFilled(at, ImVec2(at.x + width, at.y + row.height), c.pal.pane_header,
                            fs * 0.2f);
    }
    const std::string cause = Cause(c, sp);
    const std::string ports = Ports(p);
    const ImU32 cause_colour = sp.current ? c.pal.accent : c.pal.text_dim;
    const float left_x = at.x + plan.left_x;
    const float right_x = at.x + plan.right_x;
    float arrow_top = at.y;
    if (plan.form == Form::kWide) {
        // Left of the client lifeline: the call that sent it. Right of the server's: the ports.
        const float ty = at.y + (line - fs) * 0.5f;
        LaneText(c, c.font, ImVec2(left_x - fs * 0.6f - TextWidth(c.font, cause), ty), cause_colour,
                 cause);
        LaneText(c, c.code, ImVec2(right_x + fs * 0.6f, ty), c.pal.text_dim, ports);
    } else {
        const float text_w = width - 2 * Pad(c);
        const float x = at.x + Pad(c);
        LaneText(c, c.font, ImVec2(x, at.y), cause_colour, cause, text_w);
        const float cause_h = c.font->CalcTextSizeA(fs, FLT_MAX, text_w, cause.c_str()).y;
        // The ports at the right end: of the call's (only) line, or of a line of their own.
        const float py = row.ports_below ? at.y + cause_h : at.y;
        LaneText(c, c.code, ImVec2(x + text_w - TextWidth(c.code, ports), py), c.pal.text_dim,
                 ports);
        arrow_top = at.y + cause_h + (row.ports_below ? fs : 0.0f);
    }

    // The arrow: from the sender's lifeline to the receiver's, a little downhill (time runs
    // down the lane).
    const float y = arrow_top + line * 0.5f;
    const bool rightwards = sp.from == WireSide::kLeft;
    const ImVec2 tail(rightwards ? left_x : right_x, y - fs * 0.22f);
    const ImVec2 tip(rightwards ? right_x : left_x, y + fs * 0.22f);
    const float thick = std::max(2.0f, fs * 0.14f);
    draw->AddLine(tail, tip, colour, thick);
    Arrowhead(draw, tail, tip, colour, fs * 0.55f);
    draw->AddCircleFilled(tail, thick * 1.4f, colour);

    // The label in the middle of the arrow, at the plan's level of detail.
    const std::string label = PacketLabel(p, plan.level);
    const ImVec2 size = c.code->CalcTextSizeA(fs, FLT_MAX, 0, label.c_str());
    const ImVec2 centre((left_x + right_x) * 0.5f, y);
    const ImVec2 a(centre.x - size.x * 0.5f - fs * 0.3f, centre.y - size.y * 0.5f);
    const ImVec2 b(centre.x + size.x * 0.5f + fs * 0.3f, centre.y + size.y * 0.5f);
    draw->AddRectFilled(a, b, c.pal.card_bg, fs * 0.25f);
    draw->AddRect(a, b, colour, fs * 0.25f, 0, 1.0f);
    LaneText(c, c.code, ImVec2(a.x + fs * 0.3f, a.y), text, label);

    ImGui::SetCursorScreenPos(at);
    ImGui::PushID(static_cast<int>(sp.event));
    ImGui::InvisibleButton("packet", ImVec2(width, row.height));
    ImGui::PopID();
    if (ImGui::IsItemHovered()) {
        draw->AddRect(at, ImVec2(at.x + width, at.y + row.height), c.pal.text_dim, fs * 0.2f);
        WrappedTooltip(Tooltip(c, sp));
    }
    // Clicking a packet shows that moment, with the packet explained in the narration.
    if (ImGui::IsItemClicked()) SeekTo(c, sp.event + 1);
    c.view.layout.packets[sp.event] = {ImVec2(std::min(tail.x, tip.x), arrow_top),
                                       ImVec2(std::max(tail.x, tip.x), arrow_top + line)};
}

// The header line: the lifelines' names over them, the title left of the client's, the count
// right of the server's, each only where it fits whole. Hovering shows both in full; a click
// opens the popup with every packet.
void DrawHeader(DrawContext& c, const Plan& plan, ImVec2 pos, float width) {
    const float fs = c.font->FontSize;
    const float line = Line(c);
    const float pad = Pad(c);
    const float ty = pos.y + (line - fs) * 0.5f;
    const float lo = pos.x + pad;
    const float hi = pos.x + width - pad;
    const std::string client = c.T(Text::kClient);
    const std::string server = c.T(Text::kServer);
    const float cw = TextWidth(c.bold, client);
    const float sw = TextWidth(c.bold, server);
    const float cx = std::clamp(pos.x + plan.left_x - cw * 0.5f, lo, hi - cw);
    const float sx = std::clamp(pos.x + plan.right_x - sw * 0.5f, lo, hi - sw);
    LaneText(c, c.bold, ImVec2(cx, ty), c.pal.text_dim, client);
    if (sx >= cx + cw + fs * 0.5f) LaneText(c, c.bold, ImVec2(sx, ty), c.pal.text_dim, server);
    // The free stretches: left of the client's name, between the names, right of the server's.
    const float gap = fs * 0.8f;
    const float left_end = cx - gap;
    float mid_begin = cx + cw + gap;
    const float mid_end = sx - gap;
    const float right_begin = sx + sw + gap;
    const std::string title = c.T(Text::kPacketsTitle);
    const float title_w = TextWidth(c.bold, title);
    if (title_w <= left_end - lo) {
        LaneText(c, c.bold, ImVec2(lo, ty), c.pal.text, title);
    } else if (title_w <= mid_end - mid_begin) {
        LaneText(c, c.bold, ImVec2(mid_begin, ty), c.pal.text, title);
        mid_begin += title_w + gap;
    }
    const std::string count = CountText(c, plan.rows.size());
    const std::string tip = title + (count.empty() ? "" : "\n" + count);
    if (!count.empty()) {
        const std::string short_count =
            c.F(Text::kPacketsShow, {std::to_string(c.frame.scene.packets_total)});
        const ImU32 colour = c.frame.capture.dropped > 0 ? c.pal.warn : c.pal.text_dim;
        for (const std::string& shown : {count, short_count}) {
            const float w = TextWidth(c.font, shown);
            if (w <= hi - right_begin) {
                LaneText(c, c.font, ImVec2(hi - w, ty), colour, shown);
            } else if (w <= mid_end - mid_begin) {
                LaneText(c, c.font, ImVec2(mid_end - w, ty), colour, shown);
            } else {
                continue;
            }
            break;
        }
    }
    ImGui::SetCursorScreenPos(pos);
    ImGui::InvisibleButton("packet_lane_header", ImVec2(width, line));
    if (ImGui::IsItemHovered()) WrappedTooltip(tip);
    if (ImGui::IsItemClicked()) ImGui::OpenPopup(kPopupId);
}

// The collapsed lane, one line: "3 packets ▶" and the last packet where it fits (or the
// message's short form). A click opens the popup with all of it.
void DrawCollapsed(DrawContext& c, ImVec2 pos, float width) {
    const float fs = c.font->FontSize;
    const float line = Line(c);
    const float pad = Pad(c);
    const float ty = pos.y + (line - fs) * 0.5f;
    const float room = width - 2 * pad;
    const SceneModel& scene = c.frame.scene;
    std::string tip = c.T(Text::kPacketsTitle);
    if (scene.packets.empty()) {
        const std::string message = ShortMessage(c);
        if (TextWidth(c.font, message) <= room) {
            LaneText(c, c.font, ImVec2(pos.x + pad, ty),
                     CaptureOff(c) ? c.pal.warn : c.pal.text_dim, message);
        }
        tip += "\n" + Message(c);
    } else {
        const std::string button = c.F(Text::kPacketsShow, {std::to_string(scene.packets_total)});
        const float bw = TextWidth(c.bold, button);
        if (bw <= room) LaneText(c, c.bold, ImVec2(pos.x + pad, ty), c.pal.text, button);
        const ScenePacket& last = scene.packets.back();
        const std::string ends = last.from_name.empty() || last.to_name.empty()
                                     ? Ports(last.packet)
                                     : last.from_name + " → " + last.to_name;
        const float x = pos.x + pad + bw + fs * 0.8f;
        for (int level = 0; level < kLevels; ++level) {
            const std::string label = PacketLabel(last.packet, level);
            const float ew = TextWidth(c.font, ends);
            const float lw = TextWidth(c.code, label);
            if (x + ew + fs * 0.5f + lw > pos.x + width - pad) continue;
            const ImU32 colour = last.current ? c.pal.text : c.pal.text_dim;
            LaneText(c, c.font, ImVec2(x, ty), colour, ends);
            LaneText(c, c.code, ImVec2(x + ew + fs * 0.5f, ty), colour, label);
            break;
        }
        tip += "\n" + CountText(c, scene.packets_total);
    }
    ImGui::SetCursorScreenPos(pos);
    ImGui::InvisibleButton("packet_lane_collapsed", ImVec2(width, line));
    if (ImGui::IsItemHovered()) WrappedTooltip(tip);
    if (ImGui::IsItemClicked()) ImGui::OpenPopup(kPopupId);
}

}  // namespace

float PacketLaneHeight(const DrawContext& c, float /*width*/, float max_height) {
    // A height that does not depend on the packets, so the panes do not jump when they arrive:
    // the header and as many row lines as `max_height` spares, up to kMaxRows; one line (the
    // collapsed form) when not even one row fits. A narrow lane stacks fewer packets in the
    // same lines, so the width does not change it.
    const float line = Line(c);
    const float spare = max_height - line - BottomPad(c);
    if (spare < line) return line;
    const size_t rows = std::min(kMaxRows, static_cast<size_t>(spare / line));
    return line + static_cast<float>(rows) * line + BottomPad(c);
}

void DrawPacketLane(DrawContext& c, ImVec2 pos, float width, float height) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.font->FontSize;
    const SceneModel& scene = c.frame.scene;
    const ImVec2 end(pos.x + width, pos.y + height);
    draw->AddRectFilled(pos, end, c.pal.code_bg, fs * 0.3f);
    c.view.layout.packet_lane = {pos, end};
    // Every glyph the lane draws stays inside it: the layout dump checks that.
    c.view.layout.text_spans.push_back(
        {draw, draw->VtxBuffer.Size, draw->VtxBuffer.Size, {pos, end}, "packet lane"});
    const size_t span = c.view.layout.text_spans.size() - 1;
    ImGui::PushID("packet_lane");

    const Plan plan = MakePlan(c, width, height);
    const float line = Line(c);
    const float body_h = height - line - BottomPad(c);
    const bool message_fits =
        scene.packets.empty() && body_h >= line && FullMessageHeight(c, width - fs) <= body_h;
    Form form = plan.form;
    if (scene.packets.empty()) form = message_fits ? Form::kStacked : Form::kCollapsed;
    c.view.layout.packet_lane_form =
        scene.packets.empty() && form != Form::kCollapsed ? "message" : FormName(form);

    if (form == Form::kCollapsed) {
        DrawCollapsed(c, pos, width);
    } else if (scene.packets.empty()) {
        Plan header = plan;
        header.left_x = width * 0.27f;
        header.right_x = width * 0.73f;
        DrawHeader(c, header, pos, width);
        ImGui::SetCursorScreenPos(ImVec2(pos.x + fs * 0.5f, pos.y + line));
        DrawFullMessage(c, width - fs);
    } else {
        DrawHeader(c, plan, pos, width);
        // The lifelines, then the rows, oldest at the top.
        const float body_y = pos.y + line;
        for (const float x : {plan.left_x, plan.right_x}) {
            draw->AddLine(ImVec2(pos.x + x, body_y), ImVec2(pos.x + x, end.y), c.pal.text_dim,
                          1.0f);
        }
        float y = body_y;
        for (const LaneRow& row : plan.rows) {
            DrawRow(c, plan, row, ImVec2(pos.x, y), width);
            y += row.height;
        }
    }
    DrawPopup(c);
    ImGui::PopID();
    c.view.layout.text_spans[span].vtx_end = draw->VtxBuffer.Size;
}

}  // namespace sockstep::ui
