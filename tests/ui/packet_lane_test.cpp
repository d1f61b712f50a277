// The packet lane and File → Export, against the real kernel: the handshake's three captured
// segments become three arrows in the right directions under connect(); the ICMP error
// answering a datagram to a closed port comes from the server's side; a packet logged after
// the latest call does not take the narration from it; without CAP_NET_RAW the frame says why
// and draws no packet; File → Export writes the lesson as `sockstep export` does and never
// replaces a file unless asked.
//
// Capture needs CAP_NET_RAW: as root (CI) the capture tests run here; for an ordinary user each
// runs again in its own user and network namespace (tests/support/user_namespace.h). Where
// neither works they fail and say so; they are never skipped.
#include <gtest/gtest.h>
#include <unistd.h>

#include <imgui_internal.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "../support/user_namespace.h"
#include "../support/without_net_raw.h"
#include "headless.h"
#include "sockstep/core/capture.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/explain.h"
#include "sockstep/model/export.h"
#include "sockstep/model/scene.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/layout_dump.h"
#include "sockstep/ui/main_window.h"
#include "sockstep/ui/theme.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;
using core::Phase;

const fs::path kAssets = fs::path(SOCKSTEP_SOURCE_DIR) / "assets";
constexpr size_t kThroughConnect = 6;  // handshake: socket bind listen accept socket connect

std::string ReadFile(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// One frame of the real main window, headless, with intents applied as the app does.
struct Window {
    explicit Window(const std::string& lesson) : controller(kAssets) {
        EXPECT_TRUE(controller.OpenLesson(lesson));
    }
    void Frame() {
        imgui.Frame([this] {
            controller.Update(ImGui::GetIO().DeltaTime, view);
            controller.Fill(model, view, core::Lang::kEn);
            last = ui::DrawMainWindow(model, view);
            controller.Apply(last, view);
        });
    }
    HeadlessImGui imgui{1280, 720};
    ui::Controller controller;
    ui::ViewState view;
    ui::FrameModel model;
    ui::Intents last;
};

void ExpectCapturing(const ui::FrameModel& model) {
    ASSERT_TRUE(model.capture.live);
    ASSERT_TRUE(model.capture.active)
        << "packet capture is off (" << model.capture.reason
        << "): these tests need CAP_NET_RAW, as root or in a user namespace "
           "(tests/support/user_namespace.h)";
}

TEST(PacketLane, TheHandshakeIsThreeArrowsUnderConnect) {
    if (testsupport::RanInUserNamespace()) return;  // needs CAP_NET_RAW: see user_namespace.h
    Window w("handshake");
    ASSERT_EQ(w.controller.RunSteps(kThroughConnect, w.view), kThroughConnect);
    w.Frame();
    ExpectCapturing(w.model);
    const ui::SceneModel& scene = w.model.scene;
    ASSERT_EQ(scene.packets.size(), 3u) << "expected SYN, SYN-ACK, ACK";
    EXPECT_EQ(scene.packets_total, 3u);
    const uint8_t syn = core::kTcpSyn;
    const uint8_t syn_ack = core::kTcpSyn | core::kTcpAck;
    const uint8_t ack = core::kTcpAck;
    const uint8_t flags[3] = {syn, syn_ack, ack};
    const ui::WireSide from[3] = {ui::WireSide::kLeft, ui::WireSide::kRight, ui::WireSide::kLeft};
    for (size_t i = 0; i < 3; ++i) {
        const ui::ScenePacket& p = scene.packets[i];
        SCOPED_TRACE(core::PacketSummary(p.packet));
        EXPECT_EQ(p.packet.flags, flags[i]);
        EXPECT_EQ(p.from, from[i]) << "client on the left, server on the right";
        EXPECT_EQ(p.from_name, i == 1 ? "server" : "client");
        EXPECT_EQ(p.to_name, i == 1 ? "client" : "server");
        EXPECT_TRUE(p.current) << "sent by the call at the cursor";
        EXPECT_NE(p.cause.find("connect(sock"), std::string::npos) << p.cause;
        EXPECT_EQ(w.model.log[p.event].phase, Phase::kPacket);
    }
    EXPECT_EQ(scene.packets[0].packet.rel_seq, 0u);
    EXPECT_EQ(scene.packets[1].packet.rel_ack, 1u);
    // Drawn: one arrow each, the client's side left of the server's.
    const auto& rects = w.view.layout.packets;
    ASSERT_EQ(rects.size(), 3u);
    EXPECT_FALSE(w.view.layout.packet_lane.Empty());
    for (const ui::ScenePacket& p : scene.packets) {
        ASSERT_TRUE(rects.count(p.event));
        EXPECT_GT(rects.at(p.event).max.x - rects.at(p.event).min.x, 100.0f);
        EXPECT_GE(rects.at(p.event).min.y, w.view.layout.packet_lane.min.y);
    }

    // The next call sends nothing: its packets are no longer the current ones.
    ASSERT_EQ(w.controller.RunSteps(1, w.view), 1u);  // getsockname(conn)
    w.Frame();
    ASSERT_EQ(w.model.scene.packets.size(), 3u);
    for (const ui::ScenePacket& p : w.model.scene.packets) EXPECT_FALSE(p.current);
}

// Lesson refused, step 5: connect() to a port no socket holds. The SYN goes from the client to
// the empty port and the RST answers it the other way, although no server socket exists and the
// client's socket is left at 0.0.0.0 with the SYN's source port.
TEST(PacketLane, TheRstAnsweringASynToAClosedPortGoesToTheClient) {
    if (testsupport::RanInUserNamespace()) return;  // needs CAP_NET_RAW: see user_namespace.h
    Window w("refused");
    ASSERT_EQ(w.controller.RunSteps(5, w.view), 5u);
    w.Frame();
    ExpectCapturing(w.model);
    const ui::SceneModel& scene = w.model.scene;
    ASSERT_EQ(scene.packets.size(), 2u) << "expected the SYN and the RST answering it";
    const ui::ScenePacket& syn = scene.packets[0];
    const ui::ScenePacket& rst = scene.packets[1];
    EXPECT_EQ(syn.packet.flags, core::kTcpSyn);
    EXPECT_EQ(rst.packet.flags, core::kTcpRst | core::kTcpAck);
    EXPECT_EQ(rst.packet.src, syn.packet.dst);
    EXPECT_EQ(rst.packet.dst, syn.packet.src);
    EXPECT_EQ(syn.from, ui::WireSide::kLeft) << "the client's SYN leaves the client's side";
    EXPECT_EQ(rst.from, ui::WireSide::kRight) << "the RST comes from the closed port's side";
    EXPECT_EQ(syn.from_name, "client");
    EXPECT_EQ(rst.to_name, "client");
}

// Lesson udp, through the recv() that fails with ECONNREFUSED: the datagram to the server's
// closed port is answered by ICMP port unreachable, drawn from the server's side (whose kernel
// sent it) to the client, named by the port it quotes.
TEST(PacketLane, TheIcmpErrorAnsweringADatagramToAClosedPortGoesToTheClient) {
    if (testsupport::RanInUserNamespace()) return;  // needs CAP_NET_RAW: see user_namespace.h
    Window w("udp");
    constexpr size_t kThroughRefusedRecv = 14;
    ASSERT_EQ(w.controller.RunSteps(kThroughRefusedRecv, w.view), kThroughRefusedRecv);
    w.Frame();
    ExpectCapturing(w.model);
    const ui::SceneModel& scene = w.model.scene;
    const ui::ScenePacket* icmp = nullptr;
    const ui::ScenePacket* datagram = nullptr;
    for (const ui::ScenePacket& p : scene.packets) {
        if (p.packet.transport == core::Transport::kIcmp) icmp = &p;
        if (p.packet.transport == core::Transport::kUdp) datagram = &p;
    }
    ASSERT_NE(icmp, nullptr) << "no ICMP error in the lane";
    ASSERT_NE(datagram, nullptr);
    ASSERT_TRUE(icmp->packet.icmp);
    EXPECT_LT(datagram->event, icmp->event) << "the datagram, then the error answering it";
    EXPECT_EQ(icmp->packet.icmp->quoted_src, datagram->packet.src);
    EXPECT_EQ(icmp->packet.icmp->quoted_dst, datagram->packet.dst);
    EXPECT_EQ(datagram->from, ui::WireSide::kLeft) << "the client's datagram";
    EXPECT_EQ(icmp->from, ui::WireSide::kRight) << "from the closed port's side";
    EXPECT_EQ(icmp->to_name, "client");
    EXPECT_EQ(core::PacketSummary(icmp->packet), "ICMP port unreachable (type 3 code 3) about " +
                                                     core::FormatEndpoint(datagram->packet.dst) +
                                                     "/udp");
    const auto& rects = w.view.layout.packets;
    ASSERT_TRUE(rects.count(icmp->event)) << "the ICMP error has no arrow";
    EXPECT_GE(rects.at(icmp->event).min.y, w.view.layout.packet_lane.min.y);
    // The failed recv() is told as the ICMP error it reports, not as an RST.
    size_t last_return = 0;
    for (size_t i = 0; i < w.model.log.size(); ++i) {
        if (w.model.log[i].phase == Phase::kReturn) last_return = i;
    }
    const core::Event& failed = w.model.log[last_return];
    ASSERT_EQ(failed.request.call, core::CallKind::kRecv);
    ASSERT_EQ(failed.err, ECONNREFUSED);
    const std::string told = ui::ExplainEvent(failed, core::Lang::kEn);
    EXPECT_NE(told.find("ICMP port unreachable"), std::string::npos) << told;
    EXPECT_EQ(told.find("a reset (RST)"), std::string::npos) << told;
}

TEST(PacketLane, ClickingAPacketShowsItsMomentAndExplainsIt) {
    if (testsupport::RanInUserNamespace()) return;  // needs CAP_NET_RAW: see user_namespace.h
    Window w("handshake");
    ASSERT_EQ(w.controller.RunSteps(kThroughConnect, w.view), kThroughConnect);
    w.Frame();
    ExpectCapturing(w.model);
    ASSERT_EQ(w.model.scene.packets.size(), 3u);
    const size_t syn = w.model.scene.packets[0].event;
    const ui::ScreenRect rect = w.view.layout.packets.at(syn);
    w.imgui.Click(rect.Center(), [&] {
        w.controller.Update(ImGui::GetIO().DeltaTime, w.view);
        w.controller.Fill(w.model, w.view, core::Lang::kEn);
        w.last = ui::DrawMainWindow(w.model, w.view);
        w.controller.Apply(w.last, w.view);
    });
    w.Frame();
    ASSERT_TRUE(w.view.cursor.has_value()) << "the click did not move to history";
    EXPECT_EQ(*w.view.cursor, syn + 1);
    ASSERT_TRUE(w.model.scene.current.has_value());
    EXPECT_EQ(*w.model.scene.current, syn) << "in history the packet itself is shown";
    // Only the SYN and what came before exist at that moment.
    EXPECT_EQ(w.model.scene.packets_total, 1u);
    const std::string told = ui::ExplainEvent(w.model.log[syn], core::Lang::kEn);
    EXPECT_NE(told.find("SYN: a request to open a connection"), std::string::npos) << told;
}

// The lane as the app draws it: the app's fonts and theme at a text size, in a window of a size.
struct AppWindow {
    AppWindow(const std::string& lesson, core::Lang language, float text_scale, float width,
              float height)
        : imgui(width, height), controller(kAssets), lang(language), scale(text_scale) {
        EXPECT_TRUE(controller.OpenLesson(lesson));
    }
    void BuildAppFonts() {
        ui::BuildFonts(*ImGui::GetIO().Fonts, scale,
                       ui::AllUiText(lang) + controller.GlyphText(lang), fonts);
        unsigned char* pixels = nullptr;
        int w = 0;
        int h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
        ui::ApplyTheme(ui::Theme::kDark, scale);
    }
    void Draw() {
        controller.Update(ImGui::GetIO().DeltaTime, view);
        model = ui::FrameModel{};
        controller.Fill(model, view, lang);
        model.lang = lang;
        view.fonts = &fonts;
        model.font_scale = scale;
        controller.Apply(ui::DrawMainWindow(model, view), view);
    }
    void Frames(int n) {
        for (int i = 0; i < n; ++i) imgui.Frame([this] { Draw(); });
    }
    HeadlessImGui imgui;
    ui::Controller controller;
    core::Lang lang;
    float scale;
    ui::FontSet fonts;
    ui::ViewState view;
    ui::FrameModel model;
};

bool Overlaps(const ui::ScreenRect& a, const ui::ScreenRect& b) {
    return a.max.x > b.min.x && a.min.x < b.max.x && a.max.y > b.min.y && a.min.y < b.max.y;
}
bool Inside(const ui::ScreenRect& inner, const ui::ScreenRect& outer) {
    return inner.min.x >= outer.min.x && inner.min.y >= outer.min.y && inner.max.x <= outer.max.x &&
           inner.max.y <= outer.max.y;
}
bool Drew(const ui::Layout& layout, const std::string& text) {
    const auto& texts = layout.packet_lane_texts;
    return std::find(texts.begin(), texts.end(), text) != texts.end();
}

// What the lane drew in the last frame is whole: no "…", no glyph of it cut by a clip rect or
// outside the lane (the layout dump, from the draw data); each arrow drawn lies in the lane.
void ExpectWhole(const AppWindow& w) {
    const ui::Layout& layout = w.view.layout;
    const ui::ScreenRect lane = layout.packet_lane;
    ASSERT_FALSE(lane.Empty());
    ASSERT_FALSE(layout.packet_lane_texts.empty());
    for (const std::string& text : layout.packet_lane_texts) {
        EXPECT_EQ(text.find("…"), std::string::npos) << "ellipsized: " << text;
    }
    const ui::LayoutDump dump = ui::AnalyzeLayout(*ImGui::GetDrawData(), layout, w.model);
    for (const ui::ClippedText& t : dump.clipped) {
        EXPECT_NE(t.box, "packet lane") << "outside the lane: " << t.text;
        // The lane draws in the main window; the panes' texts cut at the stage's bottom edge
        // belong to the stage's own child window.
        if (t.window.find('/') == std::string::npos) {
            EXPECT_FALSE(Overlaps(t.where, lane)) << "cut in the lane: " << t.text;
        }
    }
    for (const auto& [event, rect] : layout.packets) {
        EXPECT_TRUE(Inside(rect, lane)) << "arrow of event " << event << " outside the lane";
    }
}

struct FormCase {
    const char* lesson;
    size_t steps;
    core::Lang lang;
    float scale;
    float width;
    float height;
    const char* form;
};

class PacketLaneForm : public ::testing::TestWithParam<FormCase> {};

// The screenshots of issue #13 showed these three cut ("client: connect(sock, <listen…",
// "[ACK] seq=1 ack=1 win=64 l…", "9 captured on…"): each is now whole in the form its room
// allows, with the real captured packets.
TEST_P(PacketLaneForm, TheCapturedPacketsAreWholeInTheFormTheRoomAllows) {
    if (testsupport::RanInUserNamespace()) return;  // needs CAP_NET_RAW: see user_namespace.h
    const FormCase& fc = GetParam();
    AppWindow w(fc.lesson, fc.lang, fc.scale, fc.width, fc.height);
    ASSERT_EQ(w.controller.RunSteps(fc.steps, w.view), fc.steps);
    w.BuildAppFonts();
    w.Frames(3);
    ExpectCapturing(w.model);
    const ui::SceneModel& scene = w.model.scene;
    ASSERT_FALSE(scene.packets.empty());
    const ui::Layout& layout = w.view.layout;
    EXPECT_EQ(layout.packet_lane_form, fc.form);
    ExpectWhole(w);
    const ui::ScenePacket& last = scene.packets.back();
    if (layout.packet_lane_form == "collapsed") {
        EXPECT_TRUE(Drew(layout, ui::Fmt(ui::Text::kPacketsShow, fc.lang,
                                         {std::to_string(scene.packets_total)})));
        EXPECT_TRUE(layout.packets.empty()) << "no arrow in one line";
        return;
    }
    // The newest packets are the rows, each with its call whole and its ports.
    ASSERT_FALSE(layout.packets.empty());
    EXPECT_TRUE(layout.packets.count(last.event)) << "the newest packet is shown";
    for (const ui::ScenePacket& sp : scene.packets) {
        if (!layout.packets.count(sp.event)) continue;
        EXPECT_TRUE(Drew(layout, sp.cause)) << sp.cause;
        EXPECT_TRUE(Drew(layout, ":" + std::to_string(sp.packet.src.port) +
                                     " → :" + std::to_string(sp.packet.dst.port)));
        // The label: the whole summary, or (the window left to the tooltip) the flags with the
        // relative seq and ack, as captured.
        std::string label = "[" + core::TcpFlagsText(sp.packet.flags) +
                            "] seq=" + std::to_string(sp.packet.rel_seq);
        if (sp.packet.flags & core::kTcpAck) label += " ack=" + std::to_string(sp.packet.rel_ack);
        if (sp.packet.length > 0) label += " len=" + std::to_string(sp.packet.length);
        EXPECT_TRUE(Drew(layout, core::PacketSummary(sp.packet)) || Drew(layout, label)) << label;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Issue13, PacketLaneForm,
    ::testing::Values(FormCase{"handshake", kThroughConnect, core::Lang::kEn, 1.0f, 1280, 720,
                               "wide"},
                      FormCase{"reset", 8, core::Lang::kEn, 1.0f, 1024, 768, "stacked"},
                      FormCase{"accept-queue", 9, core::Lang::kEn, 2.0f, 1280, 720, "collapsed"},
                      FormCase{"backlog-full", 10, core::Lang::kKo, 3.0f, 1024, 768, "collapsed"}),
    [](const ::testing::TestParamInfo<FormCase>& param) {
        std::string name = std::string(param.param.lesson) + "_" + param.param.form;
        std::replace(name.begin(), name.end(), '-', '_');
        return name;
    });

// Collapsed, the lane is one line; a click on it opens the popup with every packet, whole.
TEST(PacketLane, TheCollapsedLaneOpensAPopupWithEveryPacket) {
    if (testsupport::RanInUserNamespace()) return;  // needs CAP_NET_RAW: see user_namespace.h
    AppWindow w("handshake", core::Lang::kEn, 3.0f, 1024, 768);
    ASSERT_EQ(w.controller.RunSteps(kThroughConnect, w.view), kThroughConnect);
    w.BuildAppFonts();
    w.Frames(3);
    ExpectCapturing(w.model);
    ASSERT_EQ(w.view.layout.packet_lane_form, "collapsed");
    ASSERT_EQ(w.model.scene.packets.size(), 3u);
    EXPECT_FALSE(Drew(w.view.layout, core::PacketSummary(w.model.scene.packets[0].packet)))
        << "the first packet is folded";
    ASSERT_EQ(ImGui::GetCurrentContext()->OpenPopupStack.Size, 0);
    w.imgui.Click(w.view.layout.packet_lane.Center(), [&] { w.Draw(); });
    w.Frames(2);
    EXPECT_EQ(ImGui::GetCurrentContext()->OpenPopupStack.Size, 1) << "the click opened nothing";
    for (const ui::ScenePacket& sp : w.model.scene.packets) {
        SCOPED_TRACE(core::PacketSummary(sp.packet));
        EXPECT_TRUE(Drew(w.view.layout, sp.cause));
        const std::string line = sp.from_name + " " + core::FormatEndpoint(sp.packet.src) + " → " +
                                 sp.to_name + " " + core::FormatEndpoint(sp.packet.dst) + "  " +
                                 core::PacketSummary(sp.packet);
        EXPECT_TRUE(Drew(w.view.layout, line));
    }
}

TEST(PacketLane, ALaterPacketDoesNotTakeTheNarrationFromTheLatestCall) {
    // A log as the session writes it: connect() returns, then the kernel sends a delayed ACK
    // while no call runs (cause_seq -1).
    core::EventLog log;
    core::Event enter;
    enter.actor = 0;
    enter.actor_name = "client";
    enter.request.call = core::CallKind::kConnect;
    enter.request.socket = "sock";
    enter.phase = Phase::kEnter;
    log.Append(enter);
    core::Event ret = enter;
    ret.phase = Phase::kReturn;
    log.Append(ret);
    core::Event packet;
    packet.phase = Phase::kPacket;
    packet.packet = core::Packet{};
    packet.packet->flags = core::kTcpAck;
    packet.packet->src = {core::Family::kInet, "127.0.0.1", 40000};
    packet.packet->dst = {core::Family::kInet, "127.0.0.1", 40001};
    log.Append(packet);

    const ui::SceneModel live = ui::BuildScene(log.View(), 3);
    ASSERT_TRUE(live.current.has_value());
    EXPECT_EQ(*live.current, 1u) << "live, connect()'s return stays the event shown";
    ASSERT_EQ(live.packets.size(), 1u);
    EXPECT_TRUE(live.packets[0].cause.empty()) << "no call sent it";
    EXPECT_FALSE(live.packets[0].current);

    // Once a later event exists, the cursor on the packet is history: the packet is shown.
    core::Event later = ret;
    later.phase = Phase::kEnter;
    later.request.call = core::CallKind::kClose;
    log.Append(later);
    const ui::SceneModel history = ui::BuildScene(log.View(), 3);
    ASSERT_TRUE(history.history);
    EXPECT_EQ(*history.current, 2u);
}

// In the child: what the frame says without the capability; "" when all is as it should be.
std::string FrameWithoutCapability() {
    Window w("handshake");
    if (w.controller.RunSteps(kThroughConnect, w.view) != kThroughConnect) return "steps failed";
    w.Frame();
    std::string problems;
    const ui::CaptureInfo& cap = w.model.capture;
    if (!cap.live || cap.active) problems += "capture should be live and inactive\n";
    if (cap.command.rfind("sudo setcap cap_net_raw+ep ", 0) != 0) {
        problems += "no setcap command: '" + cap.command + "'\n";
    }
    if (!w.model.scene.packets.empty()) problems += "packets drawn without capture\n";
    if (!w.view.layout.packets.empty()) problems += "packet arrows drawn without capture\n";
    if (w.view.layout.packet_lane.Empty()) problems += "the lane (with its message) is missing\n";
    // Whole, in the lane or (when it does not fit) in its one-line form, never ellipsized.
    const std::string form = w.view.layout.packet_lane_form;
    if (form != "message" && form != "collapsed") problems += "lane form '" + form + "'\n";
    for (const std::string& text : w.view.layout.packet_lane_texts) {
        if (text.find("…") != std::string::npos) problems += "ellipsized: " + text + "\n";
    }
    if (w.view.layout.packet_lane_texts.empty()) problems += "the lane says nothing\n";
    return problems;
}

TEST(PacketLane, WithoutCapNetRawTheFrameSaysWhyAndDrawsNoPacket) {
    const testsupport::ChildResult r = testsupport::RunWithoutNetRaw(FrameWithoutCapability);
    ASSERT_TRUE(r.exited) << r.problems;
    EXPECT_EQ(r.code, 0) << r.problems;
}

TEST(FileExport, WritesTheLessonAndNeverReplacesAFileUnlessAsked) {
    Window w("handshake");
    ASSERT_EQ(w.controller.RunSteps(kThroughConnect, w.view), kThroughConnect);
    const fs::path dir =
        fs::temp_directory_path() / ("sockstep-file-export-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path svg = dir / "handshake.svg";
    ui::ExportIntent intent{static_cast<int>(ui::ExportFormat::kSvg), svg.string(), false,
                            core::Lang::kEn};
    EXPECT_EQ(w.controller.ExportLesson(intent), "");
    const std::string written = ReadFile(svg);
    EXPECT_NE(written.find("<svg"), std::string::npos);
    EXPECT_NE(written.find("[6] connect(sock"), std::string::npos) << "the calls run so far";
    EXPECT_EQ(written.find("[7] getsockname"), std::string::npos) << "not the calls yet to run";

    // Again without overwrite: refused, the file unchanged; with it: replaced.
    std::ofstream(svg) << "mine";
    const std::string refused = w.controller.ExportLesson(intent);
    EXPECT_NE(refused.find(svg.string()), std::string::npos) << refused;
    EXPECT_EQ(ReadFile(svg), "mine");
    intent.overwrite = true;
    EXPECT_EQ(w.controller.ExportLesson(intent), "");
    EXPECT_NE(ReadFile(svg).find("<svg"), std::string::npos);

    // C: a folder with one program per actor; nothing else is written anywhere in `dir`.
    intent = {static_cast<int>(ui::ExportFormat::kC), (dir / "c").string(), false, core::Lang::kKo};
    EXPECT_EQ(w.controller.ExportLesson(intent), "");
    EXPECT_TRUE(fs::exists(dir / "c" / "server.c"));
    EXPECT_TRUE(fs::exists(dir / "c" / "client.c"));
    size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
    EXPECT_EQ(entries, 2u) << "only handshake.svg and c/";
    fs::remove_all(dir);
}

TEST(FileExport, FreePlayHasNoLessonToExport) {
    ui::Controller controller(kAssets);
    controller.OpenFreePlay();
    const ui::ExportIntent intent{static_cast<int>(ui::ExportFormat::kSvg), "/nonexistent/x.svg",
                                  false, core::Lang::kEn};
    EXPECT_EQ(controller.ExportLesson(intent), "Export needs an open lesson.");
    EXPECT_FALSE(fs::exists("/nonexistent/x.svg"));
}

}  // namespace
}  // namespace sockstep::testing
