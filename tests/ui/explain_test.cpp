// Explanations and strings: every reason of core's transition table has a Korean translation,
// every string exists in both languages, and placeholders land where each language wants them.
#include "sockstep/ui/explain.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "sockstep/ui/strings.h"

namespace sockstep::testing {
namespace {

TEST(Explain, EveryTransitionTableReasonHasAKoreanTranslation) {
    for (const core::Transition& row : core::TransitionTable()) {
        EXPECT_TRUE(ui::HasTranslation(row.why)) << "no Korean for: \"" << row.why << "\"";
    }
    EXPECT_EQ(ui::TranslateWhy("this socket is not listening", core::Lang::kKo),
              "이 소켓은 리슨 중이 아님");
    EXPECT_EQ(ui::TranslateWhy("this socket is not listening", core::Lang::kEn),
              "this socket is not listening");
}

TEST(Explain, PredictionsReadAsTheIssueWantsThem) {
    const core::Prediction p =
        core::Predict(core::ApiState::kCreated, core::SockType::kStream, core::CallKind::kAccept);
    EXPECT_EQ(ui::DescribePrediction(p, core::Lang::kEn),
              "will fail with EINVAL: this socket is not listening");
    EXPECT_EQ(ui::DescribePrediction(p, core::Lang::kKo),
              "EINVAL 오류로 실패할 것: 이 소켓은 리슨 중이 아님");
    const core::Prediction ok =
        core::Predict(core::ApiState::kBound, core::SockType::kStream, core::CallKind::kListen);
    EXPECT_EQ(ui::DescribePrediction(ok, core::Lang::kEn), "should succeed → Listening");
}

TEST(Explain, ErrnoLinesNameTheErrnoAndAMeaningInBothLanguages) {
    EXPECT_EQ(ui::ErrnoLine(ECONNREFUSED, "", core::Lang::kEn),
              "ECONNREFUSED: nobody is listening there: the kernel answered with a reset (RST)");
    EXPECT_NE(ui::ErrnoLine(ECONNREFUSED, "", core::Lang::kKo).find("RST"), std::string::npos);
    for (int err : {EINVAL, EADDRINUSE, ETIMEDOUT, EPIPE, ECONNRESET, EAGAIN, EINPROGRESS, EBADF}) {
        EXPECT_NE(ui::ErrnoMeaning(err, core::Lang::kKo), ui::ErrnoMeaning(err, core::Lang::kEn))
            << core::ErrnoName(err);
    }
}

TEST(Explain, EventsAreExplainedFromWhatTheLogProves) {
    core::Event e;
    e.phase = core::Phase::kReturn;
    e.request.call = core::CallKind::kConnect;
    e.err = ECONNREFUSED;
    EXPECT_NE(ui::ExplainEvent(e, core::Lang::kEn).find("RST"), std::string::npos);
    e.err = 0;
    e.request.call = core::CallKind::kSend;
    e.ret = 5;
    EXPECT_NE(ui::ExplainEvent(e, core::Lang::kEn).find("5 bytes"), std::string::npos);
    EXPECT_NE(ui::ExplainEvent(e, core::Lang::kKo).find("5바이트"), std::string::npos);
    e.phase = core::Phase::kBlocked;
    e.request.call = core::CallKind::kAccept;
    EXPECT_NE(ui::ExplainEvent(e, core::Lang::kEn).find("accept queue is empty"),
              std::string::npos);
    e.phase = core::Phase::kEnter;
    EXPECT_TRUE(ui::ExplainEvent(e, core::Lang::kEn).empty());
}

TEST(Strings, EveryStringExistsInBothLanguages) {
    for (int i = 0; i < static_cast<int>(ui::Text::kCount); ++i) {
        const auto t = static_cast<ui::Text>(i);
        EXPECT_NE(std::string(ui::Tr(t, core::Lang::kEn)), "") << i;
        EXPECT_NE(std::string(ui::Tr(t, core::Lang::kKo)), "") << i;
    }
    // The language switch always shows both names, so the atlas holds both.
    EXPECT_NE(ui::AllUiText(core::Lang::kEn).find("한국어"), std::string::npos);
}

TEST(Strings, PlaceholdersArePositional) {
    EXPECT_EQ(ui::Fmt(ui::Text::kStepOf, core::Lang::kEn, {"4", "10"}), "Step 4 of 10");
    EXPECT_EQ(ui::Fmt(ui::Text::kStepOf, core::Lang::kKo, {"4", "10"}), "10단계 중 4단계");
    EXPECT_EQ(ui::FormatPositional("{1}-{0}-{2}", {"a", "b"}), "b-a-");
}

}  // namespace
}  // namespace sockstep::testing
