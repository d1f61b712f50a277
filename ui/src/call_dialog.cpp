// Free mode: a socket card's menu lists every call that acts on a socket, each with the
// transition table's prediction; choosing one opens a dialog for its arguments, shows the C
// line and the prediction ("will fail with EINVAL: this socket is not listening"), and Run
// makes the call anyway, because the kernel decides.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "draw_context.h"
#include "sockstep/core/address.h"
#include "sockstep/model/c_program.h"
#include "sockstep/model/explain.h"

namespace sockstep::ui {
namespace {

using core::CallKind;

constexpr CallKind kSocketCalls[] = {
    CallKind::kBind,       CallKind::kListen,   CallKind::kAccept,      CallKind::kConnect,
    CallKind::kSend,       CallKind::kRecv,     CallKind::kShutdown,    CallKind::kClose,
    CallKind::kSetsockopt, CallKind::kFcntl,    CallKind::kWrite,       CallKind::kRead,
    CallKind::kSendto,     CallKind::kRecvfrom, CallKind::kGetsockname, CallKind::kGetpeername,
    CallKind::kPoll,
};

bool NameTaken(const SceneModel& scene, const std::string& name) {
    return std::any_of(scene.cards.begin(), scene.cards.end(),
                       [&](const SceneCard& c) { return c.view.name == name; });
}

std::string FreshName(const SceneModel& scene, const std::string& base) {
    if (!NameTaken(scene, base)) return base;
    for (int n = 2;; ++n) {
        const std::string name = base + std::to_string(n);
        if (!NameTaken(scene, name)) return name;
    }
}

// The first other socket with a port that is listening: the natural connect() target.
std::string DefaultPeer(const SceneModel& scene, int self) {
    for (const SceneCard& card : scene.cards) {
        if (card.view.id != self && !card.view.name.empty() &&
            card.view.tcp_state == core::TcpState::kListen) {
            return card.view.name;
        }
    }
    return {};
}

void Prepare(DrawContext& c, CallDialogState& d, CallKind call) {
    const SceneModel& scene = c.frame.scene;
    d.request = core::CallRequest{};
    d.request.call = call;
    d.request.socket = d.socket;
    core::CallArgs& a = d.request.args;
    a.address.host = "127.0.0.1";
    d.peer.clear();
    d.port = 0;
    switch (call) {
        case CallKind::kSocket:
            d.request.result = FreshName(scene, "sock");
            break;
        case CallKind::kAccept:
            d.request.result = FreshName(scene, "conn");
            break;
        case CallKind::kConnect:
        case CallKind::kSendto:
            d.peer = DefaultPeer(scene, d.socket_id);
            break;
        case CallKind::kSend:
        case CallKind::kWrite:
            a.data = "hello";
            break;
        case CallKind::kPoll:
            a.poll_sockets = {d.socket};
            a.poll_events = {"POLLIN"};
            a.timeout_ms = 5000;
            break;
        default:
            break;
    }
    if (call == CallKind::kSendto) a.data = "hello";
    d.open = true;
}

core::Prediction PredictFor(const DrawContext& c, const CallDialogState& d) {
    if (d.request.call == CallKind::kSocket) {
        return core::Predict(core::ApiState::kNone, d.request.args.type, CallKind::kSocket);
    }
    const SceneCard* card = c.frame.scene.FindCard(d.socket_id);
    if (!card) return {};
    return core::Predict(card->view.api_state, card->view.type, d.request.call);
}

template <class Enum, size_t N>
void EnumCombo(const char* label, Enum& value, const Enum (&values)[N],
               std::string_view (*name)(Enum)) {
    if (ImGui::BeginCombo(label, std::string(name(value)).c_str())) {
        for (Enum v : values) {
            if (ImGui::Selectable(std::string(name(v)).c_str(), v == value)) value = v;
        }
        ImGui::EndCombo();
    }
}

void Arguments(DrawContext& c, CallDialogState& d) {
    core::CallArgs& a = d.request.args;
    const float field = c.Em() * 12.0f;
    ImGui::PushItemWidth(field);
    switch (d.request.call) {
        case CallKind::kSocket: {
            static constexpr core::Family kFamilies[] = {core::Family::kInet, core::Family::kInet6};
            static constexpr core::SockType kTypes[] = {core::SockType::kStream,
                                                        core::SockType::kDgram};
            EnumCombo(c.T(Text::kArgFamily), a.family, kFamilies, core::FamilyName);
            EnumCombo(c.T(Text::kArgType), a.type, kTypes, core::SockTypeName);
            ImGui::InputText(c.T(Text::kArgResultName), &d.request.result);
            break;
        }
        case CallKind::kAccept:
            ImGui::InputText(c.T(Text::kArgResultName), &d.request.result);
            break;
        case CallKind::kBind:
        case CallKind::kConnect:
        case CallKind::kSendto: {
            if (d.request.call == CallKind::kSendto) ImGui::InputText(c.T(Text::kArgData), &a.data);
            if (d.request.call != CallKind::kBind) {
                const std::string preview = d.peer.empty() ? c.T(Text::kArgPeerNone) : d.peer;
                if (ImGui::BeginCombo(c.T(Text::kArgPeer), preview.c_str())) {
                    if (ImGui::Selectable(c.T(Text::kArgPeerNone), d.peer.empty())) d.peer.clear();
                    for (const SceneCard& card : c.frame.scene.cards) {
                        if (card.view.name.empty() || card.view.id == d.socket_id ||
                            card.placement != Placement::kOwned || !card.view.local) {
                            continue;
                        }
                        if (ImGui::Selectable(card.view.name.c_str(), d.peer == card.view.name)) {
                            d.peer = card.view.name;
                        }
                    }
                    ImGui::EndCombo();
                }
            }
            ImGui::BeginDisabled(!d.peer.empty());
            ImGui::InputText(c.T(Text::kArgHost), &a.address.host);
            ImGui::InputInt(c.T(Text::kArgPort), &d.port);
            d.port = std::clamp(d.port, 0, 65535);
            ImGui::EndDisabled();
            break;
        }
        case CallKind::kListen:
            ImGui::InputInt(c.T(Text::kArgBacklog), &a.backlog);
            a.backlog = std::clamp(a.backlog, 0, 4096);
            break;
        case CallKind::kSend:
        case CallKind::kWrite:
            ImGui::InputText(c.T(Text::kArgData), &a.data);
            break;
        case CallKind::kRecv:
        case CallKind::kRead:
        case CallKind::kRecvfrom:
            ImGui::InputInt(c.T(Text::kArgSize), &a.size);
            a.size = std::clamp(a.size, 1, 1 << 20);
            break;
        case CallKind::kShutdown: {
            static constexpr core::ShutHow kHows[] = {core::ShutHow::kWr, core::ShutHow::kRd,
                                                      core::ShutHow::kRdWr};
            EnumCombo(c.T(Text::kArgHow), a.how, kHows, core::ShutHowName);
            break;
        }
        case CallKind::kSetsockopt: {
            static constexpr core::SockOpt kOptions[] = {
                core::SockOpt::kReuseAddr,  core::SockOpt::kReusePort, core::SockOpt::kLinger,
                core::SockOpt::kTcpNodelay, core::SockOpt::kTcpSyncnt, core::SockOpt::kRcvBuf,
                core::SockOpt::kSndBuf};
            EnumCombo(c.T(Text::kArgOption), a.option, kOptions, core::SockOptName);
            ImGui::InputInt(c.T(Text::kArgValue), &a.value);
            break;
        }
        case CallKind::kFcntl:
            ImGui::Checkbox(c.T(Text::kArgNonblocking), &a.nonblocking);
            break;
        case CallKind::kPoll:
            ImGui::InputInt("timeout_ms", &a.timeout_ms);
            a.timeout_ms = std::clamp(a.timeout_ms, -1, 600000);
            break;
        default:
            break;
    }
    ImGui::PopItemWidth();
    a.address.peer = d.peer;
    a.address.port = static_cast<uint16_t>(d.port);
    if (!d.peer.empty())
        a.address.host.clear();
    else if (a.address.host.empty())
        a.address.host = "127.0.0.1";
}

}  // namespace

void DrawCardMenu(DrawContext& c, const SceneCard& card) {
    WithFont(c.bold,
             [&] { ImGui::TextUnformatted(c.F(Text::kCallMenuTitle, {card.view.name}).c_str()); });
    ImGui::Separator();
    for (CallKind call : kSocketCalls) {
        const core::Prediction p = core::Predict(card.view.api_state, card.view.type, call);
        std::string hint;
        if (p.known && p.result != 0)
            hint = "→ " + std::string(core::ErrnoName(p.result));
        else if (p.known && !p.depends.empty())
            hint = "?";  // the tooltip says what it depends on
        else if (p.known && p.may_block)
            hint = "…";
        const std::string label = std::string(core::CallName(call)) + "()";
        WithFont(c.code, [&] {
            if (ImGui::MenuItem(label.c_str(), hint.empty() ? nullptr : hint.c_str())) {
                CallDialogState& d = c.view.call_dialog;
                d.actor = card.view.actor;
                d.socket_id = card.view.id;
                d.socket = card.view.name;
                Prepare(c, d, call);
            }
        });
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("%s", DescribePrediction(p, c.lang).c_str());
        }
    }
}

void OpenSocketDialog(DrawContext& c, int actor) {
    CallDialogState& d = c.view.call_dialog;
    d.actor = actor;
    d.socket_id = -1;
    d.socket.clear();
    Prepare(c, d, CallKind::kSocket);
}

void DrawCallDialog(DrawContext& c) {
    CallDialogState& d = c.view.call_dialog;
    if (d.open) {
        ImGui::OpenPopup("###call");
        d.open = false;
    }
    const std::string actor =
        d.actor >= 0 && static_cast<size_t>(d.actor) < c.frame.scene.actors.size()
            ? c.frame.scene.actors[static_cast<size_t>(d.actor)].name
            : std::string();
    const std::string title =
        c.F(Text::kCallDialogTitle, {actor, std::string(core::CallName(d.request.call)) + "()"}) +
        "###call";
    ImGui::SetNextWindowSizeConstraints(ImVec2(c.Em() * 24, 0), ImVec2(c.Em() * 48, FLT_MAX));
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    Arguments(c, d);
    ImGui::Separator();
    // The call as the code panel writes it: in C, or in Python in the Python view.
    const std::string code = CallAsC(d.request, c.view.code_language);
    WithFont(c.code, [&] { ImGui::TextUnformatted(code.c_str()); });
    ImGui::Separator();
    const core::Prediction p = PredictFor(c, d);
    WithFont(c.bold, [&] { ImGui::TextUnformatted(c.T(Text::kPrediction)); });
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(
                                             p.known && p.result != 0 ? c.pal.error : c.pal.text));
    ImGui::PushTextWrapPos(c.Em() * 30);
    ImGui::TextUnformatted(DescribePrediction(p, c.lang).c_str());
    ImGui::PopStyleColor();
    ImGui::TextDisabled("%s", c.T(Text::kKernelDecides));
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    const bool run = ImGui::Button(c.T(Text::kRun));
    c.view.layout.call_run = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    if (run) {
        c.out.call = CallIntent{d.actor, d.request};
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(c.T(Text::kCancel)) ||
        (c.view.keys.escape >= 0 && ImGui::IsKeyPressed(c.view.keys.escape, false))) {
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace sockstep::ui
