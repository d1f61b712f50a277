// sockstep_ui_bench: CPU time of one visualizer frame as the app makes it — Controller::Fill
// (which runs BuildScene), ImGui::NewFrame, ui::DrawMainWindow, ImGui::Render — in a headless
// ImGui context at 1280x720 with the app's real fonts (NanumGothic, the glyphs in use) and theme
// at the text scale measured (1.0, and 2.0 for the 1,000 clients). No GL:
// the GPU side is measured with the real binary by scripts/bench. Prints the "5. Visualizer"
// rows of scripts/bench's table on stdout; Google Benchmark's own report goes to stderr.
//
//   (a) the handshake lesson (assets/lessons/01-handshake.toml), every step run, live cursor;
//   (b) free play with one listener (127.0.0.1:0, backlog 1024) and 1,000 connected clients:
//       steady (nothing changed since the last frame: Fill reuses the scene) and after a call
//       (each frame follows a real getsockname() on one of the clients, made with the timer
//       paused: the log has grown, so Fill builds the scene anew and the code panel appends).
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sockstep/core/session.h"
#include "sockstep/model/controller.h"
#include "sockstep/model/strings.h"
#include "sockstep/ui/fonts.h"
#include "sockstep/ui/main_window.h"
#include "sockstep/ui/theme.h"
#include "sockstep/ui/view_state.h"
#include "ui_headless.h"

#ifndef SOCKSTEP_SOURCE_DIR
#error "bench/CMakeLists.txt defines SOCKSTEP_SOURCE_DIR (the lessons are read from its assets/)"
#endif

namespace sockstep::bench {
namespace {

constexpr int kClients = 1000;

void RaiseFileLimit() {
    // 1,000 clients plus the listener need more descriptors than a soft limit of 1,024 allows;
    // the hard limit is ours to take.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

core::CallRequest Request(core::CallKind call, std::string socket, std::string result = "") {
    core::CallRequest r;
    r.call = call;
    r.socket = std::move(socket);
    r.result = std::move(result);
    return r;
}

bool Returned(core::Session& session, int actor, const core::CallRequest& request) {
    if (session.Call(actor, request) != core::StepOutcome::kReturned) return false;
    const core::LogView log = session.Log();
    // The call's Return, past any packet the kernel sent on its own after it (a delayed ACK).
    size_t i = log.size();
    while (i > 0 && log[i - 1].phase == core::Phase::kPacket) --i;
    return i > 0 && log[i - 1].phase == core::Phase::kReturn && log[i - 1].err == 0;
}

// One app frame without the window: the same calls, in the same order, as gui_main.cpp's loop
// between its backend NewFrame calls and the GL draw.
class FrameRig {
  public:
    FrameRig() : m_controller(std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets") {}

    ui::Controller& controller() { return m_controller; }
    ui::ViewState& view() { return m_view; }

    // After the session is set up: the app's fonts for the texts in use at the rig's text scale
    // and its theme scaled alike (as gui_main.cpp's FontState::Build), and what is already in
    // the log counts as seen (the app does that when its window opens), so the frames measured
    // are the steady ones, not the arrival animations.
    void Ready() {
        ui::BuildFonts(*m_imgui.io().Fonts, m_scale,
                       ui::AllUiText(core::Lang::kEn) + m_controller.GlyphText(core::Lang::kEn),
                       m_fonts);
        ui::ApplyTheme(ui::Theme::kDark, m_scale);
        unsigned char* pixels = nullptr;
        int w = 0;
        int h = 0;
        m_imgui.io().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        m_view.seen_events = m_controller.LogSize();
        // ImGui sizes auto-fitting windows over the first frames: settle before timing.
        for (int i = 0; i < 10; ++i) Frame();
    }

    size_t Frame() {
        const double start = ThreadCpuUs();
        m_controller.Update(m_imgui.io().DeltaTime, m_view);
        ui::FrameModel& model = m_model;  // kept across frames, as the app does
        m_controller.Fill(model, m_view, core::Lang::kEn);
        m_fill_us += ThreadCpuUs() - start;
        m_view.fonts = &m_fonts;
        model.lang = core::Lang::kEn;
        model.theme = ui::Theme::kDark;
        model.font_scale = m_scale;
        ImGui::NewFrame();
        const ui::Intents intents = ui::DrawMainWindow(model, m_view);
        ImGui::Render();
        benchmark::DoNotOptimize(intents);
        return model.scene.cards.size();
    }

  private:
    HeadlessImGui m_imgui{1280, 720};
    ui::Controller m_controller;
    ui::ViewState m_view;
    ui::FrameModel m_model;
    ui::FontSet m_fonts;
    float m_scale = 1.0f;
    double m_fill_us = 0;

  public:
    // CPU time spent in Update + Fill (BuildScene and the rest of the model) so far: the split
    // between building the scene and drawing it.
    double FillUs() const { return m_fill_us; }
    void ResetFill() { m_fill_us = 0; }
    // The text scale the next Ready() builds the fonts and theme for.
    void SetScale(float scale) { m_scale = scale; }

    static double ThreadCpuUs() {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
    }
};

// state.range(0) == 1: the cursor is moved back to the moment with the most cards (the
// connection established, before the closes), since after all steps only the client's
// TIME-WAIT is left to draw.
void FrameHandshake(benchmark::State& state) {
    FrameRig rig;
    if (!rig.controller().OpenLesson("handshake")) {
        state.SkipWithError("the handshake lesson did not load");
        return;
    }
    core::Session* session = rig.controller().session();
    const size_t steps = session->ScriptSize();
    if (rig.controller().RunSteps(steps, rig.view()) != steps) {
        state.SkipWithError("the handshake lesson did not run to its end");
        return;
    }
    if (state.range(0) == 1) {
        const core::LogView log = session->Log();
        const std::vector<ui::ActorInfo> actors = ui::InferActors(log);
        size_t best = log.size();
        size_t most = 0;
        for (size_t cursor = 1; cursor <= log.size(); ++cursor) {
            const size_t cards =
                ui::BuildScene(log, cursor, {actors, nullptr, -1, {}}).cards.size();
            if (cards > most) {
                most = cards;
                best = cursor;
            }
        }
        rig.view().cursor = best;
    }
    rig.Ready();
    size_t cards = 0;
    rig.ResetFill();
    for (auto _ : state) cards = rig.Frame();
    state.counters["fill_us"] =
        benchmark::Counter(rig.FillUs(), benchmark::Counter::kAvgIterations);
    state.counters["cards"] = static_cast<double>(cards);
    state.counters["events"] = static_cast<double>(rig.controller().LogSize());
}

// The session with one listener and 1,000 connected clients, built once and shared by the four
// runs of FrameThousandClients (Google Benchmark calls a benchmark function several times a
// repetition, and building it takes from seconds to minutes with the machine's load): each run
// sets its text scale on it, which builds the fonts and theme anew.
class ThousandClients {
  public:
    ThousandClients() = default;
    ThousandClients(const ThousandClients&) = delete;
    ThousandClients& operator=(const ThousandClients&) = delete;
    ~ThousandClients() {
        if (!m_rig) return;
        // Benchmark hygiene: RST instead of FIN on close, so 1,000 TIME-WAIT sockets are not
        // left behind to slow every later sock_diag dump on the machine.
        const linger abort{1, 0};
        for (const core::SocketView& v : m_rig->controller().session()->ProbeNow()) {
            if (v.fd >= 0) setsockopt(v.fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
        }
    }

    // The rig, built on first use; nullptr when building it failed.
    FrameRig* Rig() {
        if (!m_rig) Build();
        return m_ok ? m_rig.get() : nullptr;
    }

  private:
    void Build() {
        m_rig = std::make_unique<FrameRig>();
        m_rig->controller().OpenFreePlay();  // actors: 0 = server, 1 = client
        core::Session& session = *m_rig->controller().session();
        core::CallRequest bind = Request(core::CallKind::kBind, "listener");
        bind.args.address.host = "127.0.0.1";
        core::CallRequest listen = Request(core::CallKind::kListen, "listener");
        listen.args.backlog = 1024;  // every client completes its handshake and waits in the queue
        m_ok = Returned(session, 0, Request(core::CallKind::kSocket, "", "listener")) &&
               Returned(session, 0, bind) && Returned(session, 0, listen);
        // Through the session, one client at a time: each call snapshots a growing session.
        for (int i = 0; m_ok && i < kClients; ++i) {
            const std::string c = "c" + std::to_string(i);
            core::CallRequest connect = Request(core::CallKind::kConnect, c);
            connect.args.address.peer = "listener";
            m_ok = Returned(session, 1, Request(core::CallKind::kSocket, "", c)) &&
                   Returned(session, 1, connect);
        }
    }
    std::unique_ptr<FrameRig> m_rig;
    bool m_ok = false;
};

// state.range(0) == 1: every frame is the one right after a real call;
// state.range(1): the text scale in tenths (10 = 1.0, 20 = 2.0).
void FrameThousandClients(benchmark::State& state, ThousandClients& clients) {
    FrameRig* const built = clients.Rig();
    if (built == nullptr) {
        state.SkipWithError("building 1,000 connected clients failed");
        return;
    }
    FrameRig& rig = *built;
    core::Session& session = *rig.controller().session();
    rig.SetScale(static_cast<float>(state.range(1)) / 10.0f);
    rig.Ready();
    size_t cards = 0;
    const bool after_call = state.range(0) == 1;
    size_t calls = 0;
    rig.ResetFill();
    for (auto _ : state) {
        if (after_call) {
            // The call, its snapshot of 2,001 sockets and its log events are not the frame's.
            state.PauseTiming();
            core::CallRequest name =
                Request(core::CallKind::kGetsockname, "c" + std::to_string(calls++ % kClients));
            const bool returned = Returned(session, 1, name);
            state.ResumeTiming();
            if (!returned) {
                state.SkipWithError("getsockname() on a client failed");
                break;
            }
        }
        cards = rig.Frame();
    }
    state.counters["fill_us"] =
        benchmark::Counter(rig.FillUs(), benchmark::Counter::kAvgIterations);
    state.counters["cards"] = static_cast<double>(cards);
    state.counters["events"] = static_cast<double>(rig.controller().LogSize());
    if (after_call) {
        // What BuildScene alone costs of that rebuild (the rest of Fill is mostly the code
        // panel's BuildPrograms): the build Fill makes, with a scan that has read the log up to
        // the last call, timed on its own. Each run starts a scan there, untimed.
        const core::LogView before = session.Log();
        const std::vector<ui::ActorInfo> actors = ui::InferActors(before);
        const ui::SceneContext context{actors, nullptr, -1, {}};
        constexpr int kRuns = 20;
        double spent_us = 0;
        size_t scene_cards = 0;
        for (int i = 0; i < kRuns; ++i) {
            ui::SceneScan scan;
            scene_cards += ui::BuildScene(before, before.size(), context, scan).cards.size();
            core::CallRequest name =
                Request(core::CallKind::kGetsockname, "c" + std::to_string(calls++ % kClients));
            if (!Returned(session, 1, name)) {
                state.SkipWithError("getsockname() on a client failed");
                return;
            }
            const core::LogView after = session.Log();
            const double start = FrameRig::ThreadCpuUs();
            scene_cards += ui::BuildScene(after, after.size(), context, scan).cards.size();
            spent_us += FrameRig::ThreadCpuUs() - start;
        }
        benchmark::DoNotOptimize(scene_cards);
        state.counters["scene_us"] = spent_us / kRuns;
    }
}

struct Row {
    double cpu_us = NAN;
    double real_us = NAN;
    double cards = NAN;
    double events = NAN;
    double fill_us = NAN;
    double scene_us = NAN;
    bool error = false;
    std::string message;
};

// Google Benchmark's console report on stderr, and the median repetition of each benchmark kept.
class CollectingReporter : public benchmark::ConsoleReporter {
  public:
    void ReportRuns(const std::vector<Run>& runs) override {
        benchmark::ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
            if (run.run_type != Run::RT_Iteration && !median) continue;
            std::string key = run.run_name.function_name;
            if (!run.run_name.args.empty()) key += "/" + run.run_name.args;
            if (!median && m_medians.contains(key)) continue;
            if (median) m_medians[key] = true;
            Row r;
            r.cpu_us = run.GetAdjustedCPUTime();  // the time unit is set to microseconds
            r.real_us = run.GetAdjustedRealTime();
            if (auto it = run.counters.find("cards"); it != run.counters.end())
                r.cards = it->second;
            if (auto it = run.counters.find("events"); it != run.counters.end())
                r.events = it->second;
            if (auto it = run.counters.find("fill_us"); it != run.counters.end())
                r.fill_us = it->second;
            if (auto it = run.counters.find("scene_us"); it != run.counters.end())
                r.scene_us = it->second;
            r.error = run.error_occurred;
            r.message = run.error_message;
            m_rows[key] = r;
        }
    }
    const std::map<std::string, Row>& Rows() const { return m_rows; }

  private:
    std::map<std::string, Row> m_rows;
    std::map<std::string, bool> m_medians;
};

void PrintRow(const CollectingReporter& reporter, const std::string& key, const char* what,
              double target_ms) {
    auto it = reporter.Rows().find(key);
    if (it == reporter.Rows().end() || it->second.error) {
        std::printf("  %-56s %10s %9s  %-7s %s\n", what, "n/a", "", "FAILED",
                    it == reporter.Rows().end() ? "not run" : it->second.message.c_str());
        return;
    }
    const Row& r = it->second;
    const double ms = r.cpu_us / 1000.0;
    char target[32];
    std::snprintf(target, sizeof target, "<= %g ms", target_ms);
    std::printf(
        "  %-56s %7.3f ms %9s  %-7s Fill/BuildScene %.3f ms, ImGui %.3f ms; %.0f cards, "
        "%.0f events\n",
        what, ms, target, ms <= target_ms ? "MET" : "MISSED", r.fill_us / 1000.0,
        ms - r.fill_us / 1000.0, r.cards, r.events);
    if (!std::isnan(r.scene_us)) {
        const double scene_and_draw = (r.scene_us + r.cpu_us - r.fill_us) / 1000.0;
        std::printf(
            "  %-56s %7.3f ms %9s  %-7s BuildScene alone %.3f ms + ImGui; the rest of Fill "
            "is the code panel\n",
            "    of which BuildScene + ImGui frame", scene_and_draw, target,
            scene_and_draw <= target_ms ? "MET" : "MISSED", r.scene_us / 1000.0);
    }
}

}  // namespace
}  // namespace sockstep::bench

int main(int argc, char** argv) {
    using namespace sockstep::bench;
    RaiseFileLimit();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    // CPU time of the drawing thread (Google Benchmark's default CPU timer is the calling
    // thread's), median of 5 (3) repetitions; the session's worker threads are idle meanwhile.
    benchmark::RegisterBenchmark("frame/handshake", FrameHandshake)
        ->ArgName("busiest")
        ->DenseRange(0, 1)
        ->Unit(benchmark::kMicrosecond)
        ->Repetitions(5)
        ->MinTime(0.5);
    // After the handshake's rigs are gone: the ImGui context a rig creates becomes the current
    // one only when none is. 3 repetitions, all on the one session of 1,000 clients.
    ThousandClients clients;
    benchmark::RegisterBenchmark(
        "frame/1000_clients",
        [&clients](benchmark::State& state) { FrameThousandClients(state, clients); })
        ->ArgNames({"after_call", "scale10"})
        ->ArgsProduct({{0, 1}, {10, 20}})
        ->Unit(benchmark::kMicrosecond)
        ->Repetitions(3)
        ->MinTime(0.5);
    CollectingReporter reporter;
    reporter.SetOutputStream(&std::cerr);
    reporter.SetErrorStream(&std::cerr);
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();

    std::printf(
        "\n5. Visualizer (scripts/bench: frames headless at 1280x720, then the real binary "
        "under Xvfb + llvmpipe)\n");
    std::printf("  %-56s %10s %9s  %-7s %s\n", "", "figure", "target", "", "notes");
    PrintRow(reporter, "frame/handshake/busiest:0",
             "(f1) frame CPU: handshake lesson, all steps, live", 1.0);
    PrintRow(reporter, "frame/handshake/busiest:1",
             "(f1') the same log, cursor at its most cards (history)", 1.0);
    PrintRow(reporter, "frame/1000_clients/after_call:0/scale10:10",
             "(f2) frame CPU: 1 listener + 1,000 clients, live", 5.0);
    PrintRow(reporter, "frame/1000_clients/after_call:1/scale10:10",
             "(f2') the same, the frame right after a call", 5.0);
    PrintRow(reporter, "frame/1000_clients/after_call:0/scale10:20",
             "(f3) frame CPU: 1,000 clients, live, text scale 2.0", 5.0);
    PrintRow(reporter, "frame/1000_clients/after_call:1/scale10:20",
             "(f3') the same, after a call, text scale 2.0", 5.0);
    bool failed = false;
    for (const auto& [key, row] : reporter.Rows()) failed = failed || row.error;
    std::fflush(stdout);
    return failed ? 1 : 0;
}
