// A UDP socket's state chip says what ss says: UNCONN before connect(), ESTAB after it, never
// TCP's "CLOSE". The udp lesson runs for real on loopback and every step's frame is read back
// from its draw data: the words drawn inside each UDP socket's card.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "lesson_run.h"
#include "sockstep/model/explain.h"

namespace sockstep::testing {
namespace {

bool Has(const std::vector<std::string>& texts, const std::string& word) {
    return std::any_of(texts.begin(), texts.end(),
                       [&](const std::string& t) { return t.find(word) != std::string::npos; });
}

TEST(UdpState, TheChipSaysUnconnOrEstabNeverClose) {
    HeadlessImGui gui;
    LessonRun run = RunLesson("udp");
    ASSERT_FALSE(run.steps.empty());
    size_t unconn = 0;
    size_t estab = 0;
    for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
        EveryStep(gui, run, ImVec2(1280, 720), 1.0f, lang, ui::Theme::kDark,
                  [&](size_t step, const ui::LayoutDump&, const ui::FrameModel& model) {
                      for (const ui::CardDrawn& drawn : run.view.layout.cards_drawn) {
                          const ui::SceneCard* card = model.scene.FindCard(drawn.socket_id);
                          if (card == nullptr || card->view.type != core::SockType::kDgram ||
                              !card->view.tcp_state) {
                              continue;
                          }
                          const std::vector<std::string> texts =
                              ui::TextsDrawn(*ImGui::GetDrawData(), drawn.rect);
                          if (texts.empty()) continue;  // scrolled away
                          EXPECT_FALSE(Has(texts, "CLOSE"))
                              << "step " << step + 1 << ": " << card->view.name;
                          if (*card->view.tcp_state == core::TcpState::kClose) {
                              EXPECT_TRUE(Has(texts, "UNCONN"))
                                  << "step " << step + 1 << ": " << card->view.name;
                              ++unconn;
                          } else if (*card->view.tcp_state == core::TcpState::kEstablished) {
                              EXPECT_TRUE(Has(texts, "ESTAB"))
                                  << "step " << step + 1 << ": " << card->view.name;
                              ++estab;
                          }
                      }
                  });
    }
    // The lesson has unconnected sockets and, after its connect(), a connected one.
    EXPECT_GT(unconn, 0u);
    EXPECT_GT(estab, 0u);
}

// The words and their meanings, in both languages: a UDP socket's state is no TCP connection.
TEST(UdpState, TheWordsAndMeaningsDependOnTheProtocol) {
    using core::SockType;
    using core::TcpState;
    EXPECT_EQ(ui::SocketStateLabel(TcpState::kClose, SockType::kDgram), "UNCONN");
    EXPECT_EQ(ui::SocketStateLabel(TcpState::kEstablished, SockType::kDgram), "ESTAB");
    EXPECT_EQ(ui::SocketStateLabel(TcpState::kClose, SockType::kStream), "CLOSE");
    for (const core::Lang lang : {core::Lang::kEn, core::Lang::kKo}) {
        const std::string unconn = ui::SocketStateMeaning(TcpState::kClose, SockType::kDgram, lang);
        const std::string estab =
            ui::SocketStateMeaning(TcpState::kEstablished, SockType::kDgram, lang);
        EXPECT_NE(unconn, ui::TcpStateMeaning(TcpState::kClose, lang));
        EXPECT_NE(estab, ui::TcpStateMeaning(TcpState::kEstablished, lang));
        EXPECT_NE(unconn.find(lang == core::Lang::kEn ? "datagram" : "데이터그램"),
                  std::string::npos);
        EXPECT_NE(estab.find(lang == core::Lang::kEn ? "connect()" : "connect()"),
                  std::string::npos);
        // TCP's "data can flow both ways" is a connection UDP does not have.
        EXPECT_EQ(estab.find(lang == core::Lang::kEn ? "both ways" : "양쪽"), std::string::npos);
    }
}

}  // namespace
}  // namespace sockstep::testing
