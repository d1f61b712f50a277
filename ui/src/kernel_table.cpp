// The kernel socket table, like `ss -tan`: state, Recv-Q, Send-Q (a listener's accept queue
// and backlog, as ss shows them), local and peer address, the kernel's timer, and who holds it.
#include "draw_context.h"
#include "sockstep/core/address.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

std::string Queue(int value) {
    return value < 0 ? "-" : std::to_string(value);
}

std::string Owner(const DrawContext& c, const SceneCard& card) {
    const core::SocketView& v = card.view;
    switch (v.owner) {
        case core::Owner::kActor: {
            const std::string actor =
                v.actor >= 0 && static_cast<size_t>(v.actor) < c.frame.scene.actors.size()
                    ? c.frame.scene.actors[static_cast<size_t>(v.actor)].name
                    : std::string("?");
            return c.F(Text::kOwnerActor, {actor, std::to_string(v.fd)}) + " (" + v.name + ")";
        }
        case core::Owner::kKernel:
            return std::string(c.T(Text::kOwnerKernel)) +
                   (v.name.empty() ? "" : " (" + v.name + ")");
        case core::Owner::kExternal:
            return c.T(Text::kOwnerExternal);
    }
    return {};
}

std::string Timer(const DrawContext& c, const SceneCard& card) {
    const core::SocketView& v = card.view;
    if (v.timer_ms < 0) return "";
    const double elapsed_ms = static_cast<double>(c.frame.now_us - card.timer_ref_us) / 1000.0;
    const double left = std::max(0.0, (v.timer_ms - std::max(0.0, elapsed_ms)) / 1000.0);
    const char* kind = v.tcp_state == core::TcpState::kTimeWait ? "timewait" : "on";
    return std::string(kind) + " " + Seconds(left) + "s";
}

}  // namespace

void DrawKernelTable(DrawContext& c, ImVec2 size) {
    const SceneModel& scene = c.frame.scene;
    Child("kernel_table", size, true, 0, [&] {
        const ImVec2 origin = ImGui::GetWindowPos();
        c.view.layout.kernel_table = {origin, ImVec2(origin.x + size.x, origin.y + size.y)};
        WithFont(c.bold, [&] { ImGui::TextUnformatted(c.T(Text::kKernelTable)); });
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("%s", c.T(Text::kKernelTableNote));
        ImGui::PopTextWrapPos();
        if (scene.cards.empty()) {
            ImGui::TextDisabled("%s", c.T(Text::kNoKernelSockets));
            return;
        }
        constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                           ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                           ImGuiTableFlags_SizingFixedFit;
        if (!ImGui::BeginTable("ss", 7, kFlags)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        // ss's columns, with the owner right after the state: who holds it is the lesson.
        ImGui::TableSetupColumn(c.T(Text::kColState));
        ImGui::TableSetupColumn(c.T(Text::kColOwner));
        ImGui::TableSetupColumn(c.T(Text::kColRecvQ));
        ImGui::TableSetupColumn(c.T(Text::kColSendQ));
        ImGui::TableSetupColumn(c.T(Text::kColLocal));
        ImGui::TableSetupColumn(c.T(Text::kColPeer));
        ImGui::TableSetupColumn(c.T(Text::kColTimer));
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(scene.cards.size()));
        while (clipper.Step()) {
            for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
                const SceneCard& card = scene.cards[static_cast<size_t>(row)];
                const core::SocketView& v = card.view;
                ImGui::TableNextRow();
                if (card.touched || card.fresh) {
                    ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, c.pal.accent_soft);
                }
                ImGui::TableNextColumn();
                const ImVec2 pos = ImGui::GetCursorScreenPos();
                const ImVec2 badge =
                    StateBadge(ImGui::GetWindowDrawList(), c.bold, pos, v.tcp_state, 0, v.type);
                ImGui::Dummy(badge);
                if (v.tcp_state) {
                    WrappedTooltip(SocketStateMeaning(*v.tcp_state, v.type, c.lang));
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(Owner(c, card).c_str());
                const bool listener = v.tcp_state == core::TcpState::kListen;
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(Queue(listener ? v.accept_queue : v.inq).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(Queue(listener ? v.backlog : v.outq).c_str());
                ImGui::TableNextColumn();
                WithFont(c.code, [&] {
                    ImGui::TextUnformatted(v.local ? core::FormatEndpoint(*v.local).c_str()
                                                   : "*:*");
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(v.remote ? core::FormatEndpoint(*v.remote).c_str()
                                                    : "*:*");
                });
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(Timer(c, card).c_str());
            }
        }
        ImGui::EndTable();
    });
}

}  // namespace sockstep::ui
