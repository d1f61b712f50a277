// The Controller: session intents after the frame, play that stops at a question, reset, and a
// saved log replayed with no socket opened.
#include "sockstep/model/controller.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sockstep/model/export.h"
#include "sockstep/model/strings.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

namespace fs = std::filesystem;

TEST(Controller, PlayRunsStepsUntilAQuestionWaitsForTheLearner) {
    ui::Controller controller(std::nullopt);
    controller.UseLesson(HandshakeLesson());
    ui::SessionView view;
    ui::Intents play;
    play.play = true;
    controller.Apply(play, view);
    ASSERT_TRUE(controller.Playing());
    // Time passes; the blocked accept() does not stop play (the client's steps go on).
    for (int i = 0; i < 40 && controller.Playing(); ++i)
        controller.Update(ui::kPlayIntervalSeconds, view);
    EXPECT_FALSE(controller.Playing());
    EXPECT_EQ(controller.session()->NextStepIndex(), 5u);  // connect() asks first
    ui::FrameModel frame;
    controller.Fill(frame, view, core::Lang::kEn);
    EXPECT_EQ(frame.step_state, ui::StepState::kNeedAnswer);
    EXPECT_TRUE(frame.scene.any_blocked);
    EXPECT_TRUE(controller.NeedsTicking());
}

TEST(Controller, ResetClosesEverythingAndForgetsAnswers) {
    ui::Controller controller(std::nullopt);
    controller.UseLesson(HandshakeLesson());
    ui::SessionView view;
    controller.RunSteps(4, view);  // accept() is now blocked
    ui::Intents answer;
    answer.answer = std::make_pair(5, 1);
    controller.Apply(answer, view);
    ui::Intents reset;
    reset.reset = true;
    controller.Apply(reset, view);
    ui::Intents yes;
    yes.discard = true;
    controller.Apply(yes, view);
    ui::FrameModel frame;
    controller.Fill(frame, view, core::Lang::kEn);
    EXPECT_EQ(frame.discard, ui::DiscardReason::kNone);
    EXPECT_TRUE(frame.log.empty());
    EXPECT_TRUE(frame.scene.cards.empty());
    EXPECT_TRUE(frame.answers->empty());
    EXPECT_EQ(frame.next_step, 0u);
    EXPECT_EQ(frame.step_state, ui::StepState::kReady);
}

TEST(Controller, ASavedLogReplaysWithNoSocketOpened) {
    const fs::path file =
        fs::temp_directory_path() / ("sockstep-ui-" + std::to_string(getpid()) + ".jsonl");
    size_t events = 0;
    {
        ui::Controller controller(std::nullopt);
        controller.UseLesson(HandshakeLesson());
        ui::SessionView view;
        controller.RunSteps(10, view);
        events = controller.session()->Log().size();
        ui::Intents save;
        save.save_log = file.string();
        controller.Apply(save, view);
        EXPECT_FALSE(view.notice_error) << view.notice;
    }
    ui::Controller controller(std::nullopt);
    ui::SessionView view;
    ui::Intents open;
    open.open_log = file.string();
    controller.Apply(open, view);
    ASSERT_FALSE(view.notice_error) << view.notice;
    EXPECT_TRUE(controller.FileMode());
    EXPECT_EQ(controller.session(), nullptr);  // no Session, so no socket at all
    ui::FrameModel frame;
    controller.Fill(frame, view, core::Lang::kEn);
    EXPECT_EQ(frame.log.size(), events);
    EXPECT_EQ(frame.step_state, ui::StepState::kFile);
    ASSERT_EQ(frame.actors.size(), 2u);
    EXPECT_EQ(frame.actors[0].role, core::Role::kServer);

    // Step walks the recorded calls from the start: the first one is the server's socket().
    controller.Step(view);
    controller.Fill(frame, view, core::Lang::kEn);
    ASSERT_TRUE(frame.scene.current.has_value());
    EXPECT_EQ(frame.log[*frame.scene.current].request.call, core::CallKind::kSocket);
    EXPECT_EQ(frame.log[*frame.scene.current].phase, core::Phase::kReturn);
    EXPECT_TRUE(frame.scene.history);
    ASSERT_EQ(frame.scene.cards.size(), 1u);
    EXPECT_EQ(frame.scene.cards[0].view.name, "listener");

    ui::Intents close;
    close.close_log = true;
    controller.Apply(close, view);
    EXPECT_FALSE(controller.FileMode());
    fs::remove(file);
}

// Saves the handshake's first `steps` steps to a temporary .jsonl and returns its path.
fs::path SavedHandshake(const std::string& name, size_t steps) {
    const fs::path file = fs::temp_directory_path() /
                          ("sockstep-" + name + "-" + std::to_string(getpid()) + ".jsonl");
    ui::Controller controller(std::nullopt);
    controller.UseLesson(HandshakeLesson());
    ui::SessionView view;
    controller.RunSteps(steps, view);
    EXPECT_FALSE(controller.SaveLog(file).size()) << controller.SaveLog(file);
    return file;
}

TEST(Controller, ResetOverASessionWithHistoryAsksFirstAndKeepKeepsEverything) {
    ui::Controller controller(std::nullopt);
    controller.UseLesson(HandshakeLesson());
    ui::SessionView view;
    ASSERT_EQ(controller.RunSteps(3, view), 3u);  // socket, bind, listen
    const size_t events = controller.LogSize();
    ui::Intents reset;
    reset.reset = true;
    controller.Apply(reset, view);
    ui::FrameModel frame;
    controller.Fill(frame, view, core::Lang::kEn);
    EXPECT_EQ(frame.discard, ui::DiscardReason::kReset);
    EXPECT_EQ(frame.discard_steps, 3u);
    EXPECT_EQ(frame.log.size(), events);  // nothing was dropped yet
    ui::Intents no;
    no.discard = false;
    controller.Apply(no, view);
    controller.Fill(frame, view, core::Lang::kEn);
    EXPECT_EQ(frame.discard, ui::DiscardReason::kNone);
    EXPECT_EQ(frame.log.size(), events);
    EXPECT_EQ(controller.session()->NextStepIndex(), 3u);
    // A fresh session has nothing to lose: Reset runs at once.
    ui::Controller fresh(std::nullopt);
    fresh.UseLesson(HandshakeLesson());
    fresh.Apply(reset, view);
    fresh.Fill(frame, view, core::Lang::kEn);
    EXPECT_EQ(frame.discard, ui::DiscardReason::kNone);
}

TEST(Controller, OpeningALogOverALiveSessionAsksAndDiscardOpensIt) {
    const fs::path file = SavedHandshake("ask", 2);
    ui::Controller controller(std::nullopt);  // free play
    ui::SessionView view;
    ui::Intents call;
    call.call = ui::CallIntent{1, core::CallRequest{}};
    call.call->request.call = core::CallKind::kSocket;
    controller.Apply(call, view);
    ASSERT_TRUE(controller.session()->WaitIdle(1));
    ui::Intents open;
    open.open_log = file.string();
    controller.Apply(open, view);
    ui::FrameModel frame;
    controller.Fill(frame, view, core::Lang::kEn);
    EXPECT_EQ(frame.discard, ui::DiscardReason::kOpenLog);
    EXPECT_EQ(frame.discard_steps, 1u);
    EXPECT_FALSE(controller.FileMode());
    ui::Intents yes;
    yes.discard = true;
    controller.Apply(yes, view);
    EXPECT_FALSE(view.notice_error) << view.notice;
    EXPECT_TRUE(controller.FileMode());
    controller.Fill(frame, view, core::Lang::kEn);
    EXPECT_EQ(frame.discard, ui::DiscardReason::kNone);
    fs::remove(file);
}

TEST(Controller, ClosingALogReturnsToTheLessonOpenBeforeIt) {
    const fs::path file = SavedHandshake("back", 2);
    ui::Controller controller(std::nullopt);
    core::Lesson lesson = HandshakeLesson();
    const std::string id = lesson.id;
    controller.UseLesson(std::move(lesson));
    ui::SessionView view;
    ui::Intents open;
    open.open_log = file.string();
    controller.Apply(open, view);  // no step taken: nothing to discard, no question
    ASSERT_TRUE(controller.FileMode()) << view.notice;
    EXPECT_EQ(controller.lesson(), nullptr);
    // A second log over the first still comes back to the lesson.
    controller.Apply(open, view);
    ASSERT_TRUE(controller.FileMode());
    ui::Intents close;
    close.close_log = true;
    controller.Apply(close, view);
    EXPECT_FALSE(controller.FileMode());
    ASSERT_NE(controller.lesson(), nullptr);
    EXPECT_EQ(controller.lesson()->id, id);
    ASSERT_NE(controller.session(), nullptr);
    EXPECT_EQ(controller.LogSize(), 0u);  // a fresh session
    EXPECT_EQ(controller.session()->NextStepIndex(), 0u);
    // From free play, closing a log comes back to free play.
    ui::Controller free(std::nullopt);
    free.Apply(open, view);
    ASSERT_TRUE(free.FileMode());
    free.Apply(close, view);
    EXPECT_FALSE(free.FileMode());
    EXPECT_EQ(free.lesson(), nullptr);
    EXPECT_NE(free.session(), nullptr);
    fs::remove(file);
}

TEST(Controller, AnExportOverAFileThatExistsNamesTheReplaceCheckboxNotForce) {
    const fs::path file =
        fs::temp_directory_path() / ("sockstep-exists-" + std::to_string(getpid()) + ".svg");
    ui::Controller controller(std::nullopt);
    controller.UseLesson(HandshakeLesson());
    ui::ExportIntent intent{static_cast<int>(ui::ExportFormat::kSvg), file.string(), false,
                            core::Lang::kEn};
    ASSERT_EQ(controller.ExportLesson(intent), "");
    const std::string en = controller.ExportLesson(intent);
    EXPECT_EQ(en, "'" + file.string() +
                      "' already exists; tick \"Replace files that exist\" in the dialog to "
                      "replace it");
    intent.lang = core::Lang::kKo;
    const std::string ko = controller.ExportLesson(intent);
    EXPECT_NE(ko.find(ui::Tr(ui::Text::kOverwrite, core::Lang::kKo)), std::string::npos) << ko;
    EXPECT_EQ(ko.find("--force"), std::string::npos) << ko;
    intent.overwrite = true;
    EXPECT_EQ(controller.ExportLesson(intent), "");
    fs::remove(file);
}

TEST(Controller, ABrokenLogIsAnErrorNotACrash) {
    const fs::path file =
        fs::temp_directory_path() / ("sockstep-bad-" + std::to_string(getpid()) + ".jsonl");
    {
        std::ofstream out(file);
        out << "{\"not\": \"an event\"}\n";
    }
    ui::Controller controller(std::nullopt);
    ui::SessionView view;
    ui::Intents open;
    open.open_log = file.string();
    controller.Apply(open, view);
    EXPECT_TRUE(view.notice_error);
    EXPECT_FALSE(controller.FileMode());
    EXPECT_NE(controller.session(), nullptr);
    fs::remove(file);
}

TEST(Controller, TheBuiltInCatalogListsLessonsByTitle) {
    // The source tree's assets: tests/ui/<this file> → ../../assets.
    const fs::path assets = fs::path(SOCKSTEP_SOURCE_DIR) / "assets";
    ui::Controller controller(assets);
    ASSERT_FALSE(controller.Catalog().empty()) << "no built-in lessons in " << assets;
    EXPECT_EQ(controller.Catalog().front().id, "handshake");
    EXPECT_EQ(controller.Catalog().front().key, (assets / "lessons/01-handshake.toml").string());
    EXPECT_TRUE(controller.OpenLesson("handshake"));
    ui::SessionView view;
    ui::FrameModel frame;
    controller.Fill(frame, view, core::Lang::kKo);
    EXPECT_EQ(frame.lesson_index, 0);
    EXPECT_EQ(frame.lessons[0].title, controller.Catalog().front().title.ko);
    EXPECT_FALSE(controller.OpenLesson("no-such-lesson"));
    EXPECT_FALSE(controller.LessonErrors().empty());
    // The failed choice keeps the lesson that was open.
    ASSERT_NE(controller.lesson(), nullptr);
    EXPECT_EQ(controller.lesson()->id, "handshake");
}

// Issue #16 item 3: the lesson menu of a Controller given a teacher's folder: the built-in
// lessons, then the folder's under its name; the shadowed built-in and the broken file listed
// and not choosable, each saying why; the shadowing lesson opened by its id and marked chosen.
TEST(Controller, TheMenuListsAFoldersLessonsWithTheShadowedAndBrokenOnes) {
    const fs::path assets = fs::path(SOCKSTEP_SOURCE_DIR) / "assets";
    const fs::path dir = fs::temp_directory_path() / ("sockstep-menu-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    {
        std::ifstream in(assets / "lessons/01-handshake.toml");
        std::ofstream out(dir / "ours.toml");
        for (std::string line; std::getline(in, line);) {
            out << (line.rfind("title.en = ", 0) == 0 ? "title.en = \"Our handshake\"" : line)
                << '\n';
        }
    }
    std::ofstream(dir / "broken.toml") << "id = \"x\"\ntitle.en = = 3\n";
    ui::Controller controller(
        {{dir, core::LessonOrigin::kOption}, {assets / "lessons", core::LessonOrigin::kBuiltin}},
        false);
    ASSERT_TRUE(controller.OpenLesson("handshake"));
    ASSERT_NE(controller.lesson(), nullptr);
    EXPECT_EQ(controller.lesson()->title.en, "Our handshake");
    ui::SessionView view;
    ui::FrameModel frame;
    controller.Fill(frame, view, core::Lang::kEn);
    ASSERT_EQ(frame.lessons.size(), 14u);
    const ui::LessonChoice& builtin = frame.lessons[0];
    EXPECT_EQ(builtin.source, "");
    EXPECT_EQ(builtin.unusable, "shadowed");
    ASSERT_EQ(builtin.errors.size(), 1u);
    EXPECT_NE(builtin.errors[0].find((dir / "ours.toml").string()), std::string::npos);
    EXPECT_FALSE(builtin.broken);
    EXPECT_EQ(frame.lessons[1].unusable, "");
    const ui::LessonChoice& broken = frame.lessons[12];
    EXPECT_EQ(broken.title, "broken.toml");
    EXPECT_TRUE(broken.broken);
    EXPECT_EQ(broken.unusable, "cannot be opened");
    ASSERT_FALSE(broken.errors.empty());
    EXPECT_NE(broken.errors[0].find("broken.toml:2:"), std::string::npos) << broken.errors[0];
    EXPECT_EQ(broken.source, "--lessons " + dir.string());
    const ui::LessonChoice& ours = frame.lessons[13];
    EXPECT_EQ(ours.title, "Our handshake");
    EXPECT_EQ(ours.source, "--lessons " + dir.string());
    EXPECT_EQ(ours.unusable, "");
    EXPECT_EQ(frame.lesson_index, 13) << "the open lesson is the folder's, not the built-in one";
    EXPECT_EQ(ours.key, (dir / "ours.toml").string());
    fs::remove_all(dir);
}

}  // namespace
}  // namespace sockstep::testing
