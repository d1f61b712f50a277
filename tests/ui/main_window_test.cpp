// The main window drawn headless (no window, ImGui 1.86 input as state): clicking Step runs the
// handshake one real call at a time, the question is asked before connect(), the timeline goes
// to history and back, free mode runs a call from a socket's dialog, and shortcuts never fire
// while a text field has the keyboard.
#include "sockstep/ui/main_window.h"

#include <gtest/gtest.h>
#include <imgui_internal.h>
#include <unistd.h>

#include <filesystem>

#include "headless.h"
#include "sockstep/model/controller.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

using core::TcpState;

// Key codes for the shortcuts (any distinct numbers; the app uses GLFW's).
ui::KeyCodes TestKeys() {
    ui::KeyCodes k;
    k.space = 32;
    k.left = 263;
    k.right = 262;
    k.home = 268;
    k.end = 269;
    k.r = 82;
    k.p = 80;
    k.l = 76;
    k.k = 75;
    k.f1 = 290;
    k.f11 = 300;
    k.escape = 256;
    k.equal = 61;
    k.minus = 45;
    k.kp_add = 334;
    k.kp_subtract = 333;
    k.slash = 47;
    k.page_up = 266;
    k.page_down = 267;
    for (int i = 0; i < 3; ++i) {
        k.answer_digit[i] = 49 + i;
        k.answer_keypad[i] = 321 + i;
        k.answer_letter[i] = 65 + i;
    }
    return k;
}

// A headless front end: the Controller and the view, one frame at a time, intents applied after
// each frame exactly as the app does.
class Ui {
  public:
    explicit Ui(core::Lesson lesson) : controller_(std::nullopt) {
        controller_.UseLesson(std::move(lesson));
    }
    Ui() : controller_(std::nullopt) {}

    void Frame() {
        imgui_.Frame([this] { Draw(); });
    }
    void Click(ui::ScreenRect rect) {
        imgui_.Click(rect.Center(), [this] { Draw(); });
    }
    void RightClick(ui::ScreenRect rect) {
        ImGuiIO& io = imgui_.io();
        io.MousePos = rect.Center();
        Frame();
        io.MouseDown[1] = true;
        Frame();
        io.MouseDown[1] = false;
        Frame();
    }
    // One press, as the app hands over a queued one: in the next frame's model only.
    void Press(int key) {
        ui::KeyPress p;
        p.key = key;
        pending_ = p;
        Frame();
        pressed_ = last_;
        Frame();
    }
    void Type(unsigned int chr) {
        ui::KeyPress p;
        p.chr = chr;
        pending_ = p;
        Frame();
        pressed_ = last_;
        Frame();
    }
    // What the frame that saw the last Press or Type asked for.
    const ui::Intents& pressed() const { return pressed_; }
    // Waits for the actor whose step is next, if it is still in a call (another actor may
    // stay blocked: accept() waits for the client).
    void Settle() {
        core::Session& s = *controller_.session();
        const auto actors = s.Actors();
        for (size_t a = 0; a < actors.size(); ++a) {
            if (actors[a].next_step == s.NextStepIndex()) s.WaitIdle(static_cast<int>(a));
        }
    }

    ui::Controller& controller() { return controller_; }
    ui::ViewState& view() { return view_; }
    const ui::FrameModel& model() const { return model_; }
    const ui::Intents& last() const { return last_; }
    size_t NextStep() { return controller_.session()->NextStepIndex(); }

  private:
    void Draw() {
        controller_.Update(ImGui::GetIO().DeltaTime, view_);
        model_ = ui::FrameModel{};
        controller_.Fill(model_, view_, lang_);
        model_.lang = lang_;
        view_.keys = TestKeys();
        view_.key_press = pending_;
        pending_.reset();
        last_ = ui::DrawMainWindow(model_, view_);
        controller_.Apply(last_, view_);
        if (last_.lang) lang_ = *last_.lang;
    }

    HeadlessImGui imgui_{1280, 720};
    ui::Controller controller_;
    ui::ViewState view_;
    ui::FrameModel model_;
    ui::Intents last_;
    std::optional<ui::KeyPress> pending_;
    ui::Intents pressed_;
    core::Lang lang_ = core::Lang::kEn;
};

const ui::SceneCard* Named(const ui::SceneModel& scene, const std::string& name) {
    for (const ui::SceneCard& c : scene.cards) {
        if (c.view.name == name) return &c;
    }
    return nullptr;
}

TEST(MainWindow, ResetAsksBeforeDiscardingStepsEscapeKeepsEnterDiscards) {
    Ui ui(HandshakeLesson());
    ImGui::GetIO().KeyMap[ImGuiKey_Enter] = 257;
    ui.Frame();
    for (int i = 0; i < 3; ++i) {
        ui.Click(ui.view().layout.step_button);
        ui.Settle();
    }
    ASSERT_EQ(ui.NextStep(), 3u);
    const size_t events = ui.controller().LogSize();
    ui.Press(TestKeys().r);
    ui.Frame();  // the modal opens the frame after the intent was held back
    ASSERT_EQ(ui.model().discard, ui::DiscardReason::kReset);
    EXPECT_EQ(ui.model().discard_steps, 3u);
    EXPECT_FALSE(ui.view().layout.discard_button.Empty());  // the modal is drawn
    ui.Press(TestKeys().escape);                            // keep the session
    ui.Frame();
    EXPECT_EQ(ui.model().discard, ui::DiscardReason::kNone);
    EXPECT_TRUE(ui.view().layout.discard_button.Empty());
    EXPECT_EQ(ui.controller().LogSize(), events);
    EXPECT_EQ(ui.NextStep(), 3u);

    ui.Click(ui.view().layout.reset_button);
    ui.Frame();
    ASSERT_FALSE(ui.view().layout.discard_button.Empty());
    ui.Press(257);  // Enter: discard
    ui.Frame();
    EXPECT_EQ(ui.controller().LogSize(), 0u);
    EXPECT_EQ(ui.NextStep(), 0u);
    EXPECT_TRUE(ui.view().layout.discard_button.Empty());
}

TEST(MainWindow, TheDiscardButtonDiscardsAndTheTimelineNeverSaysLiveOverALog) {
    const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                       ("sockstep-live-" + std::to_string(::getpid()) + ".jsonl");
    {
        ui::Controller saver(std::nullopt);
        saver.UseLesson(HandshakeLesson());
        ui::ViewState view;
        saver.RunSteps(3, view);
        ASSERT_EQ(saver.SaveLog(file), "");
    }
    Ui ui(HandshakeLesson());
    ui.Frame();
    EXPECT_STREQ(ui.view().layout.timeline_chip, "LIVE");
    ui.Click(ui.view().layout.step_button);
    ui.Settle();
    ui.Frame();
    ui::Intents open;
    open.open_log = file.string();
    ui.controller().Apply(open, ui.view());
    ui.Frame();
    ASSERT_EQ(ui.model().discard, ui::DiscardReason::kOpenLog);
    EXPECT_EQ(ui.model().discard_steps, 1u);
    ui.Frame();
    ui.Click(ui.view().layout.discard_button);
    ui.Frame();
    ASSERT_TRUE(ui.controller().FileMode()) << ui.view().notice;
    // At the end of the replay and at its start the chip says it is a saved log, never LIVE.
    EXPECT_STREQ(ui.view().layout.timeline_chip, "SAVED LOG");
    ui.Click(ui.view().layout.step_button);
    ui.Frame();
    EXPECT_STREQ(ui.view().layout.timeline_chip, "SAVED LOG");
    std::filesystem::remove(file);
}

TEST(MainWindow, PanesSitClientLeftServerRightWithTheWireBetween) {
    Ui ui;  // free play: a server and a client, no script
    ui.Frame();
    ui.Frame();
    const auto& panes = ui.view().layout.panes;
    ASSERT_TRUE(panes.count(0) && panes.count(1));
    // Actor 0 is the server, actor 1 the client.
    EXPECT_LT(panes.at(1).max.x, panes.at(0).min.x);
    EXPECT_GT(panes.at(0).min.x - panes.at(1).max.x, 50.0f);  // room for the wire
    EXPECT_FALSE(ui.view().layout.step_button.Empty());
    EXPECT_FALSE(ui.view().layout.timeline.Empty());
    EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 0);
    EXPECT_EQ(ui.model().step_state, ui::StepState::kNoScript);
}

TEST(MainWindow, ClickingStepRunsTheHandshakeOneRealCallAtATime) {
    Ui ui(HandshakeLesson());
    ui.Frame();
    ASSERT_EQ(ui.model().step_state, ui::StepState::kReady);

    // socket, bind, listen: one click, one call.
    for (size_t i = 1; i <= 3; ++i) {
        ui.Click(ui.view().layout.step_button);
        EXPECT_EQ(ui.NextStep(), i);
    }
    ui.Frame();
    const ui::SceneCard* listener = Named(ui.model().scene, "listener");
    ASSERT_NE(listener, nullptr);
    EXPECT_EQ(listener->view.tcp_state, TcpState::kListen);
    EXPECT_EQ(ui.model().scene.actors[0].last_call, core::CallKind::kListen);

    // accept() blocks in the kernel; the UI goes on, and says so.
    ui.Click(ui.view().layout.step_button);
    ui.Frame();
    EXPECT_EQ(ui.NextStep(), 4u);
    ASSERT_TRUE(ui.model().scene.actors[0].blocked.has_value());
    EXPECT_EQ(ui.model().scene.actors[0].blocked->wchan, "inet_csk_accept");
    EXPECT_TRUE(ui.controller().NeedsTicking());

    // The client's socket() is the next step: another actor, so Step works.
    ui.Click(ui.view().layout.step_button);
    EXPECT_EQ(ui.NextStep(), 5u);

    // connect() asks its question first: Step does nothing until it is answered.
    ui.Frame();
    EXPECT_EQ(ui.model().step_state, ui::StepState::kNeedAnswer);
    ui.Click(ui.view().layout.step_button);
    EXPECT_EQ(ui.NextStep(), 5u);
    ASSERT_TRUE(ui.view().layout.answers.count(1));
    ui.Click(ui.view().layout.answers.at(1));
    ASSERT_NE(ui.model().answers, nullptr);
    EXPECT_EQ(ui.model().answers->at(5), 1);
    ui.Frame();
    EXPECT_EQ(ui.model().step_state, ui::StepState::kReady);
    ui.Click(ui.view().layout.step_button);
    EXPECT_EQ(ui.NextStep(), 6u);

    // accept() returns: a new socket split off the listener, which keeps listening. The
    // server's accept() was woken by connect() and finishes on its own thread: wait for it.
    ASSERT_TRUE(ui.controller().session()->WaitIdle(0));
    ui.Frame();
    const ui::SceneModel& scene = ui.model().scene;
    const ui::SceneCard* conn = Named(scene, "conn");
    const ui::SceneCard* client = Named(scene, "client");
    listener = Named(scene, "listener");
    ASSERT_NE(conn, nullptr);
    ASSERT_NE(client, nullptr);
    ASSERT_NE(listener, nullptr);
    EXPECT_TRUE(conn->accepted);
    EXPECT_EQ(conn->parent, listener->view.id);
    EXPECT_EQ(conn->view.tcp_state, TcpState::kEstablished);
    EXPECT_EQ(client->view.tcp_state, TcpState::kEstablished);
    EXPECT_EQ(listener->view.tcp_state, TcpState::kListen);
    EXPECT_FALSE(scene.actors[0].blocked.has_value());
    ASSERT_EQ(scene.links.size(), 1u);
    // Once the split-off animation is over, conn sits under the listener, indented. Each frame
    // rebuilds the scene, so keep the ids: the card pointers die with the old one.
    const auto conn_id = conn->view.id;
    const auto listener_id = listener->view.id;
    for (int i = 0; i < 90; ++i) ui.Frame();
    const auto& cards = ui.view().layout.cards;
    ASSERT_TRUE(cards.count(conn_id) && cards.count(listener_id));
    EXPECT_GT(cards.at(conn_id).min.y, cards.at(listener_id).max.y);
    EXPECT_GT(cards.at(conn_id).min.x, cards.at(listener_id).min.x);
}

TEST(MainWindow, ClickingThroughTheBuiltInHandshakeLessonAnsweringItsQuestions) {
    const std::filesystem::path assets = std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets";
    auto found = core::FindLesson("handshake", assets);
    ASSERT_TRUE(std::holds_alternative<core::Lesson>(found)) << "the handshake lesson is missing";
    const core::Lesson lesson = std::get<core::Lesson>(found);
    Ui ui(lesson);
    ui.Frame();
    for (size_t step = 0; step < lesson.steps.size(); ++step) {
        ui.Settle();  // a step of a blocked actor waits, as its program would
        ui.Frame();
        if (ui.model().step_state == ui::StepState::kNeedAnswer) {
            const int right = lesson.steps[step].question->answer;
            ASSERT_TRUE(ui.view().layout.answers.count(right)) << "step " << step;
            ui.Click(ui.view().layout.answers.at(right));
            ui.Frame();
        }
        ASSERT_EQ(ui.model().step_state, ui::StepState::kReady) << "step " << step;
        ui.Click(ui.view().layout.step_button);
        // accept() blocks (the kernel sleeps in it); everything else returns.
        EXPECT_EQ(ui.NextStep(), step + 1);
    }
    ui.Settle();
    ui.Frame();
    EXPECT_EQ(ui.model().step_state, ui::StepState::kDone);
    // Both questions were answered right, and each step's expectation held.
    EXPECT_EQ(ui.model().answers->size(), 2u);
    for (size_t i = 0; i < ui.model().log.size(); ++i) {
        const core::Event& e = ui.model().log[i];
        if (e.phase != core::Phase::kReturn || e.step < 0) continue;
        const auto& expect = lesson.steps[static_cast<size_t>(e.step)].expect;
        if (expect) {
            EXPECT_TRUE(core::CheckExpect(*expect, e, ui.model().log).held) << "step " << e.step;
        }
    }
    // The client's socket lingers in the kernel after close(): FIN-WAIT or TIME-WAIT.
    const ui::SceneCard* sock = Named(ui.model().scene, "sock");
    ASSERT_NE(sock, nullptr);
    EXPECT_EQ(sock->placement, ui::Placement::kLingering);
}

TEST(MainWindow, TimelineShowsHistoryAndComesBackToLive) {
    Ui ui(HandshakeLesson());
    ui.Frame();
    for (int i = 0; i < 3; ++i) ui.Click(ui.view().layout.step_button);
    ui.Frame();
    const size_t events = ui.model().log.size();
    ASSERT_GE(events, 6u);

    // The second mark: the moment socket() returned.
    const ui::ScreenRect strip = ui.view().layout.timeline_strip;
    const float slice = (strip.max.x - strip.min.x) / static_cast<float>(events);
    ui::ScreenRect second = strip;
    second.min.x = strip.min.x + slice * 1.5f - 1;
    second.max.x = second.min.x + 2;
    ui.Click(second);
    ui.Frame();
    ASSERT_TRUE(ui.view().cursor.has_value());
    EXPECT_TRUE(ui.model().scene.history);
    EXPECT_EQ(ui.model().scene.cursor, 2u);
    ASSERT_EQ(ui.model().scene.cards.size(), 1u);
    EXPECT_EQ(ui.model().scene.cards[0].view.tcp_state, TcpState::kClose);

    // Right arrow moves forward through history; "back to live" ends it.
    const size_t before = ui.model().scene.cursor;
    ui.Press(TestKeys().right);
    ui.Frame();
    EXPECT_EQ(ui.model().scene.cursor, before + 1);
    ASSERT_FALSE(ui.view().layout.back_to_live.Empty());
    ui.Click(ui.view().layout.back_to_live);
    ui.Frame();
    EXPECT_FALSE(ui.view().cursor.has_value());
    EXPECT_FALSE(ui.model().scene.history);
    EXPECT_EQ(ui.model().scene.cursor, events);
}

TEST(MainWindow, SpaceStepsButNotWhileTypingInAField) {
    Ui ui(HandshakeLesson());
    ui.Frame();
    ui.Press(TestKeys().space);
    EXPECT_EQ(ui.NextStep(), 1u);

    // The Save dialog's path field takes the keyboard: Space is a character there, not a step.
    ui.view().file_dialog.action = ui::FileAction::kSaveLog;
    ui.view().file_dialog.open = true;
    ui.view().file_dialog.path = "/tmp/x.jsonl";
    ui.Frame();
    ui.Frame();
    ui.Frame();
    EXPECT_TRUE(ImGui::GetIO().WantTextInput);
    ui.Press(TestKeys().space);
    EXPECT_EQ(ui.NextStep(), 1u);
}

TEST(MainWindow, PresenterKeysAnswerStepAndMoveThroughTheHistory) {
    Ui ui(HandshakeLesson());
    ui.Frame();
    // socket, bind, listen, accept (blocks), the client's socket: five Space presses.
    for (size_t i = 1; i <= 5; ++i) {
        ui.Press(TestKeys().space);
        ui.Settle();
        EXPECT_EQ(ui.NextStep(), i);
    }
    ui.Frame();
    ASSERT_EQ(ui.model().step_state, ui::StepState::kNeedAnswer);
    // 2 picks the second choice, A changes it to the first, the keypad's 2 back to the second.
    ui.Press(TestKeys().answer_digit[1]);
    ASSERT_NE(ui.model().answers, nullptr);
    EXPECT_EQ(ui.model().answers->at(5), 1);
    ui.Press(TestKeys().answer_letter[0]);
    EXPECT_EQ(ui.model().answers->at(5), 0);
    ui.Press(TestKeys().answer_keypad[1]);
    EXPECT_EQ(ui.model().answers->at(5), 1);
    // Answered: Space goes on.
    ui.Press(TestKeys().space);
    EXPECT_EQ(ui.NextStep(), 6u);
    ASSERT_TRUE(ui.controller().session()->WaitIdle(0));
    ui.Frame();

    // PageUp: one back in the history; PageDown: forward, to the live end; then the next step.
    const size_t live = ui.model().scene.cursor;
    ui.Press(TestKeys().page_up);
    EXPECT_TRUE(ui.model().scene.history);
    EXPECT_EQ(ui.model().scene.cursor, live - 1);
    ui.Press(TestKeys().page_down);
    EXPECT_FALSE(ui.model().scene.history);
    EXPECT_EQ(ui.NextStep(), 6u);
    ui.Press(TestKeys().page_down);
    EXPECT_EQ(ui.NextStep(), 7u);

    // '+' and '-' by character (any layout, the keypad too); '=' is '+' without Shift.
    ui.Type('+');
    ASSERT_TRUE(ui.pressed().font_scale.has_value());
    EXPECT_FLOAT_EQ(*ui.pressed().font_scale, 1.0f + ui::kFontScaleStep);
    ui.Type('=');
    ASSERT_TRUE(ui.pressed().font_scale.has_value());
    EXPECT_FLOAT_EQ(*ui.pressed().font_scale, 1.0f + ui::kFontScaleStep);
    ui.Type('-');
    ASSERT_TRUE(ui.pressed().font_scale.has_value());
    EXPECT_FLOAT_EQ(*ui.pressed().font_scale, ui::kMinFontScale);
}

TEST(MainWindow, FreeModeRunsACallFromTheSocketDialogEvenWhenPredictedToFail) {
    Ui ui;  // free play
    ui.Frame();
    // socket() from the server pane's button opens the dialog; Run makes the call.
    ui.view().call_dialog.actor = 0;
    ui.view().call_dialog.socket_id = -1;
    ui.view().call_dialog.request.call = core::CallKind::kSocket;
    ui.view().call_dialog.request.result = "s";
    ui.view().call_dialog.open = true;
    ui.Frame();
    ui.Frame();
    ASSERT_FALSE(ui.view().layout.call_run.Empty());
    ui.Click(ui.view().layout.call_run);
    ui.Frame();
    const ui::SceneCard* s = Named(ui.model().scene, "s");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->pane, 0);

    // accept() on a socket that is not listening: predicted EINVAL, made anyway.
    ui.view().call_dialog.actor = 0;
    ui.view().call_dialog.socket_id = s->view.id;
    ui.view().call_dialog.socket = "s";
    ui.view().call_dialog.request = Request(core::CallKind::kAccept, "s", "c");
    ui.view().call_dialog.open = true;
    ui.Frame();
    ui.Frame();
    ui.Click(ui.view().layout.call_run);
    ui.Frame();
    s = Named(ui.model().scene, "s");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->last_err, EINVAL);
    EXPECT_EQ(s->last_err_why, "this socket is not listening");
    const core::Event& last = ui.model().log.back();
    EXPECT_EQ(last.request.call, core::CallKind::kAccept);
    EXPECT_TRUE(last.predicted.known);
    EXPECT_EQ(last.predicted.result, EINVAL);
}

TEST(MainWindow, RightClickOnACardOpensItsCallMenu) {
    Ui ui;
    ui.Frame();
    ui::CallIntent socket{1, Request(core::CallKind::kSocket, "", "c")};
    ui::Intents intents;
    intents.call = socket;
    ui.controller().Apply(intents, ui.view());
    ui.Frame();
    ui.Frame();
    const ui::SceneCard* c = Named(ui.model().scene, "c");
    ASSERT_NE(c, nullptr);
    ASSERT_TRUE(ui.view().layout.cards.count(c->view.id));
    ui.RightClick(ui.view().layout.cards.at(c->view.id));
    EXPECT_GT(ImGui::GetCurrentContext()->OpenPopupStack.Size, 0);
}

TEST(MainWindow, NewClientAddsAClientPane) {
    Ui ui;
    ui.Frame();
    ui::Intents intents;
    intents.new_client = true;
    ui.controller().Apply(intents, ui.view());
    ui.Frame();
    ui.Frame();
    ASSERT_EQ(ui.model().scene.actors.size(), 3u);
    EXPECT_EQ(ui.model().scene.actors[2].name, "client2");
    EXPECT_EQ(ui.model().scene.actors[2].role, core::Role::kClient);
    EXPECT_TRUE(ui.view().layout.panes.count(2));
}

TEST(MainWindow, LanguageKeySwitchesTheLanguageAndHelpKeyOpensTheOverlay) {
    Ui ui;
    ui.Frame();
    ui.Press(TestKeys().l);
    ASSERT_TRUE(ui.last().lang.has_value() || ui.model().lang == core::Lang::kKo);
    ui.Frame();
    EXPECT_EQ(ui.model().lang, core::Lang::kKo);
    ui.Press(TestKeys().f1);
    EXPECT_TRUE(ui.view().help);
    ui.Press(TestKeys().f1);
    EXPECT_FALSE(ui.view().help);
}

}  // namespace
}  // namespace sockstep::testing
