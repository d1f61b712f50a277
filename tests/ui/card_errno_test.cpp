// The socket card's error line, on the real kernel: ECONNREFUSED says what refused.
#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "socket_card.h"
#include "sockstep/model/explain.h"
#include "sockstep/model/scene.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

// The card's error line for ECONNREFUSED says what refused: the RST answering a TCP SYN
// (refused step 5), the ICMP port unreachable a connected UDP socket kept (udp step 14).
const ui::SceneCard* RefusedCard(const ui::SceneModel& scene) {
    for (const ui::SceneCard& c : scene.cards) {
        if (c.last_err == ECONNREFUSED) return &c;
    }
    return nullptr;
}

TEST(SceneErrors, TheCardsEconnrefusedLineSaysRstForTcpAndIcmpForUdp) {
    const std::string generic = ui::ErrnoLine(ECONNREFUSED, "", core::Lang::kEn);
    {
        LessonLog run("02-refused.toml", 5);
        const core::LogView log = run.Log();
        const ui::SceneModel scene = ui::BuildScene(log, log.size());
        const ui::SceneCard* card = RefusedCard(scene);
        ASSERT_NE(card, nullptr);
        ASSERT_EQ(card->view.type, core::SockType::kStream);
        const std::string en = ui::CardErrnoLine(*card, log, core::Lang::kEn);
        EXPECT_EQ(en.rfind("ECONNREFUSED: ", 0), 0u) << en;
        EXPECT_NE(en.find("(RST)"), std::string::npos) << en;
        EXPECT_NE(en, generic);
        EXPECT_NE(ui::CardErrnoLine(*card, log, core::Lang::kKo).find("RST"), std::string::npos);
    }
    {
        LessonLog run("09-udp.toml", 14);
        const core::LogView log = run.Log();
        const ui::SceneModel scene = ui::BuildScene(log, log.size());
        const ui::SceneCard* card = RefusedCard(scene);
        ASSERT_NE(card, nullptr);
        ASSERT_EQ(card->view.type, core::SockType::kDgram);
        const std::string en = ui::CardErrnoLine(*card, log, core::Lang::kEn);
        EXPECT_NE(en.find("ICMP port unreachable"), std::string::npos) << en;
        EXPECT_NE(ui::CardErrnoLine(*card, log, core::Lang::kKo).find("ICMP port unreachable"),
                  std::string::npos);
    }
    // Without the event (a card built by hand), the table's line.
    ui::SceneCard bare;
    bare.last_err = ECONNREFUSED;
    core::EventLog empty;
    EXPECT_EQ(ui::CardErrnoLine(bare, empty.View(), core::Lang::kEn), generic);
}

}  // namespace
}  // namespace sockstep::testing
