// The packet lane under the panes: a sequence diagram of what was captured on lo, with the
// client side's lifeline under the client panes and the server side's under the server panes.
// Each arrow is one captured segment or datagram (flags, relative seq/ack, window, length),
// labelled with the call that sent it; the current call's packets stand out. Without capture it
// says why, and how to grant it: nothing is ever drawn from a guess.
#include <algorithm>
#include <string>

#include "draw_context.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

float RowHeight(const DrawContext& c) {
    return c.font->FontSize * 1.38f;
}
float HeaderHeight(const DrawContext& c) {
    return c.font->FontSize * 1.3f;
}

ImU32 PacketColour(const DrawContext& c, const core::Packet& p) {
    if (p.transport == core::Transport::kUdp) return c.pal.wire;
    if (p.flags & core::kTcpRst) return c.pal.error;
    if (p.flags & core::kTcpSyn) return TcpStateColour(core::TcpState::kSynSent);
    if (p.flags & core::kTcpFin) return TcpStateColour(core::TcpState::kFinWait1);
    if (p.length > 0) return c.pal.accent;
    return TcpStateColour(core::TcpState::kEstablished);
}

ImU32 Faded(ImU32 colour) {
    return (colour & 0x00FFFFFF) | (110u << 24);
}

std::string EndName(const std::string& name, const core::Endpoint& end) {
    return (name.empty() ? std::string() : name + " ") + core::FormatEndpoint(end);
}

std::string Tooltip(const DrawContext& c, const ScenePacket& sp) {
    const core::Packet& p = sp.packet;
    std::string out = EndName(sp.from_name, p.src) + "  →  " + EndName(sp.to_name, p.dst) + "\n" +
                      core::PacketSummary(p);
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

// What the lane says when it has no packets to draw; empty when it has.
void DrawMessage(DrawContext& c, ImVec2 pos, float width) {
    const CaptureInfo& cap = c.frame.capture;
    const float fs = c.font->FontSize;
    ImGui::SetCursorScreenPos(pos);
    ImGui::PushTextWrapPos(pos.x + width);
    if (cap.live && !cap.active) {
        const bool no_capability = !cap.command.empty();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(c.pal.warn));
        ImGui::TextWrapped(
            "%s", no_capability ? c.T(Text::kCaptureOff)
                                : c.F(Text::kCaptureFailed, {core::ErrnoName(cap.error)}).c_str());
        ImGui::PopStyleColor();
        if (no_capability) {
            ImGui::SetCursorScreenPos(ImVec2(pos.x + fs, ImGui::GetCursorScreenPos().y));
            WithFont(c.code, [&] { ImGui::TextUnformatted(cap.command.c_str()); });
            ImGui::SameLine();
            if (ImGui::SmallButton(c.T(Text::kCopy))) {
                ImGui::SetClipboardText(cap.command.c_str());
                c.view.Notify(c.T(Text::kCopied), false, 3.0);
            }
        }
    } else {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(c.pal.text_dim));
        ImGui::TextWrapped("%s", c.T(cap.live ? Text::kPacketsNone : Text::kPacketsNoneInLog));
        ImGui::PopStyleColor();
    }
    ImGui::PopTextWrapPos();
}

void DrawRow(DrawContext& c, const ScenePacket& sp, size_t row, ImVec2 pos, float width,
             float left_x, float right_x) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.font->FontSize;
    const float h = RowHeight(c);
    const float y = pos.y + static_cast<float>(row) * h + h * 0.5f;
    const core::Packet& p = sp.packet;
    ImU32 colour = PacketColour(c, p);
    ImU32 text = sp.current ? c.pal.text : c.pal.text_dim;
    if (!sp.current) colour = Faded(colour);
    if (sp.current) {
        draw->AddRectFilled(ImVec2(pos.x, y - h * 0.5f), ImVec2(pos.x + width, y + h * 0.5f),
                            c.pal.pane_header, fs * 0.2f);
    }

    // The arrow: from the sender's lifeline to the receiver's, a little downhill (time runs
    // down the lane).
    const bool rightwards = sp.from == WireSide::kLeft;
    const ImVec2 tail(rightwards ? left_x : right_x, y - fs * 0.22f);
    const ImVec2 tip(rightwards ? right_x : left_x, y + fs * 0.22f);
    const float thick = std::max(2.0f, fs * 0.14f);
    draw->AddLine(tail, tip, colour, thick);
    Arrowhead(draw, tail, tip, colour, fs * 0.55f);
    draw->AddCircleFilled(tail, thick * 1.4f, colour);

    // The label in the middle of the arrow.
    const std::string label = core::PacketSummary(p);
    const std::string shown = Ellipsize(c.code, label, right_x - left_x - fs * 2);
    const ImVec2 size = c.code->CalcTextSizeA(fs, FLT_MAX, 0, shown.c_str());
    const ImVec2 centre((left_x + right_x) * 0.5f, y);
    const ImVec2 a(centre.x - size.x * 0.5f - fs * 0.3f, centre.y - size.y * 0.5f);
    const ImVec2 b(centre.x + size.x * 0.5f + fs * 0.3f, centre.y + size.y * 0.5f);
    draw->AddRectFilled(a, b, c.pal.card_bg, fs * 0.25f);
    draw->AddRect(a, b, colour, fs * 0.25f, 0, 1.0f);
    draw->AddText(c.code, fs, ImVec2(a.x + fs * 0.3f, a.y), text, shown.c_str());

    // Left of the client lifeline: the call that sent it. Right of the server's: the ports.
    const std::string cause = sp.cause.empty() ? std::string(c.T(Text::kPacketByKernel)) : sp.cause;
    const float cause_room = left_x - pos.x - fs * 0.8f;
    const std::string cause_shown = Ellipsize(c.font, cause, cause_room);
    const float cw = c.font->CalcTextSizeA(fs, FLT_MAX, 0, cause_shown.c_str()).x;
    draw->AddText(c.font, fs, ImVec2(left_x - fs * 0.6f - cw, y - fs * 0.5f),
                  sp.current ? c.pal.accent : c.pal.text_dim, cause_shown.c_str());
    const std::string ends = ":" + std::to_string(p.src.port) + " → :" + std::to_string(p.dst.port);
    draw->AddText(c.code, fs, ImVec2(right_x + fs * 0.6f, y - fs * 0.5f), c.pal.text_dim,
                  Ellipsize(c.code, ends, pos.x + width - right_x - fs * 0.8f).c_str());

    ImGui::SetCursorScreenPos(ImVec2(pos.x, y - h * 0.5f));
    ImGui::PushID(static_cast<int>(sp.event));
    ImGui::InvisibleButton("packet", ImVec2(width, h));
    ImGui::PopID();
    if (ImGui::IsItemHovered()) {
        draw->AddRect(ImVec2(pos.x, y - h * 0.5f), ImVec2(pos.x + width, y + h * 0.5f),
                      c.pal.text_dim, fs * 0.2f);
        WrappedTooltip(Tooltip(c, sp));
    }
    // Clicking a packet shows that moment, with the packet explained in the narration.
    if (ImGui::IsItemClicked()) SeekTo(c, sp.event + 1);
    c.view.layout.packets[sp.event] = {ImVec2(std::min(tail.x, tip.x), y - h * 0.5f),
                                       ImVec2(std::max(tail.x, tip.x), y + h * 0.5f)};
}

}  // namespace

float PacketLaneHeight(const DrawContext& c, float stage_height) {
    // A fixed height, so the panes do not jump when packets arrive: the three of a handshake
    // at 720p, more on a taller window.
    const size_t rows = PacketLaneRows(c, stage_height);
    return HeaderHeight(c) + static_cast<float>(rows) * RowHeight(c) + c.font->FontSize * 0.3f;
}

size_t PacketLaneRows(const DrawContext& c, float stage_height) {
    // A fifth of the stage: one row with big text in a small window (the panes come first),
    // three at 720p, up to eight on a tall screen.
    const auto fit = static_cast<size_t>(std::max(0.0f, stage_height * 0.2f / RowHeight(c)));
    return std::clamp<size_t>(fit, 1, 8);
}

void DrawPacketLane(DrawContext& c, ImVec2 pos, float width, size_t rows) {
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float fs = c.font->FontSize;
    const SceneModel& scene = c.frame.scene;
    const float height = HeaderHeight(c) + static_cast<float>(rows) * RowHeight(c);
    draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + height), c.pal.code_bg, fs * 0.3f);
    c.view.layout.packet_lane = {pos, ImVec2(pos.x + width, pos.y + height)};

    // Header: the title, the lifelines' sides, and how many packets there are.
    const float left_x = pos.x + width * 0.27f;
    const float right_x = pos.x + width * 0.73f;
    const float ty = pos.y + (HeaderHeight(c) - fs) * 0.5f;
    draw->AddText(c.bold, fs, ImVec2(pos.x + fs * 0.5f, ty), c.pal.text, c.T(Text::kPacketsTitle));
    for (const auto& [x, label] :
         {std::pair{left_x, c.T(Text::kClient)}, std::pair{right_x, c.T(Text::kServer)}}) {
        const float w = c.bold->CalcTextSizeA(fs, FLT_MAX, 0, label).x;
        draw->AddText(c.bold, fs, ImVec2(x - w * 0.5f, ty), c.pal.text_dim, label);
    }
    std::string count;
    if (scene.packets_total > 0) {
        count = c.F(Text::kPacketsCount, {std::to_string(scene.packets_total)});
        const size_t shown = std::min(rows, scene.packets.size());
        if (scene.packets_total > shown) {
            count +=
                " · " + c.F(Text::kPacketsEarlier, {std::to_string(scene.packets_total - shown)});
        }
    }
    if (c.frame.capture.dropped > 0) {
        count += (count.empty() ? "" : " · ") +
                 c.F(Text::kCaptureDropped, {std::to_string(c.frame.capture.dropped)});
    }
    if (!count.empty()) {
        const std::string shown = Ellipsize(c.font, count, pos.x + width - right_x - fs * 3);
        const float w = c.font->CalcTextSizeA(fs, FLT_MAX, 0, shown.c_str()).x;
        draw->AddText(c.font, fs, ImVec2(pos.x + width - fs * 0.5f - w, ty),
                      c.frame.capture.dropped > 0 ? c.pal.warn : c.pal.text_dim, shown.c_str());
    }

    const ImVec2 body(pos.x, pos.y + HeaderHeight(c));
    if (scene.packets.empty()) {
        // Kept inside the lane: in a short lane a long message is cut, never drawn over the
        // legend.
        draw->PushClipRect(pos, ImVec2(pos.x + width, pos.y + height), true);
        DrawMessage(c, ImVec2(body.x + fs * 0.5f, body.y), width - fs);
        draw->PopClipRect();
        return;
    }
    // The lifelines, then the latest `rows` packets, oldest at the top.
    for (const float x : {left_x, right_x}) {
        draw->AddLine(ImVec2(x, body.y), ImVec2(x, pos.y + height), c.pal.text_dim, 1.0f);
    }
    const size_t first = scene.packets.size() > rows ? scene.packets.size() - rows : 0;
    for (size_t i = first; i < scene.packets.size(); ++i) {
        DrawRow(c, scene.packets[i], i - first, body, width, left_x, right_x);
    }
}

}  // namespace sockstep::ui
