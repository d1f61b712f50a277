// The Mermaid export, read back by a strict checker of the grammar subset it writes: the first
// line, participants declared before use, messages `A->>B: text` / `A-->>B: text` / `A-)B: text`,
// `Note over A[,B]: text`, and no character Mermaid reads as syntax left unescaped. Then the
// content: every call of the log, in order, and every captured packet.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "export_sample.h"
#include "sockstep/model/export.h"
#include "test_scripts.h"

namespace sockstep::testing {
namespace {

struct Parsed {
    std::vector<std::string> errors;
    std::vector<std::string> calls;    // texts of `X->>kernel:` lines, entities decoded
    std::vector<std::string> packets;  // texts of `A-)B:` lines
    std::vector<std::string> notes;
    std::set<std::string> participants;  // display names
};

std::string Decode(const std::string& text) {
    std::string out;
    static const std::regex kEntity(R"(#(\d+);)");
    std::sregex_iterator it(text.begin(), text.end(), kEntity), end;
    size_t at = 0;
    for (; it != end; ++it) {
        out += text.substr(at, static_cast<size_t>(it->position()) - at);
        out += static_cast<char>(std::stoi((*it)[1]));
        at = static_cast<size_t>(it->position() + it->length());
    }
    return out + text.substr(at);
}

// Message and note text: not empty, no ';', '#' only in entity codes, no raw '<' '>' '%' '"'.
bool GoodText(const std::string& text) {
    if (text.empty() || text.front() == ' ' || text.back() == ' ') return false;
    if (text.find_first_of(";<>%\"\n") != std::string::npos) {
        // ';' is allowed only as the end of an entity code.
        static const std::regex kOnlyEntities(R"(^([^;#<>%"\n]|#\d+;)*$)");
        return std::regex_match(text, kOnlyEntities);
    }
    static const std::regex kHashes(R"(^([^#]|#\d+;)*$)");
    return std::regex_match(text, kHashes);
}

Parsed Check(const std::string& mermaid) {
    Parsed p;
    std::istringstream in(mermaid);
    std::string line;
    if (!std::getline(in, line) || line != "sequenceDiagram")
        p.errors.push_back("first line: " + line);
    static const std::regex kParticipant(R"(^    participant ([A-Za-z][A-Za-z0-9_]*) as (.+)$)");
    static const std::regex kMessage(
        R"(^    ([A-Za-z][A-Za-z0-9_]*)(->>|-->>|-\))([A-Za-z][A-Za-z0-9_]*): (.*)$)");
    static const std::regex kNote(
        R"(^    Note over ([A-Za-z][A-Za-z0-9_]*)(?:,([A-Za-z][A-Za-z0-9_]*))?: (.*)$)");
    std::set<std::string> ids;
    bool body = false;
    for (int n = 2; std::getline(in, line); ++n) {
        std::smatch m;
        const std::string where = "line " + std::to_string(n) + ": " + line;
        if (std::regex_match(line, m, kParticipant)) {
            if (body) p.errors.push_back("participant after messages: " + where);
            if (!ids.insert(m[1]).second) p.errors.push_back("declared twice: " + where);
            if (!GoodText(m[2])) p.errors.push_back("bad name: " + where);
            p.participants.insert(Decode(m[2]));
        } else if (std::regex_match(line, m, kMessage)) {
            body = true;
            if (!ids.count(m[1]) || !ids.count(m[3])) p.errors.push_back("undeclared: " + where);
            if (!GoodText(m[4])) p.errors.push_back("unescaped text: " + where);
            if (m[2] == "->>" && m[3] == "kernel") p.calls.push_back(Decode(m[4]));
            if (m[2] == "-)") p.packets.push_back(Decode(m[4]));
        } else if (std::regex_match(line, m, kNote)) {
            body = true;
            if (!ids.count(m[1]) || (m[2].matched && !ids.count(m[2]))) {
                p.errors.push_back("undeclared: " + where);
            }
            if (!GoodText(m[3])) p.errors.push_back("unescaped text: " + where);
            p.notes.push_back(Decode(m[3]));
        } else {
            p.errors.push_back("not in the grammar: " + where);
        }
    }
    return p;
}

TEST(ExportMermaid, HandBuiltLogWithPacketsIsAValidSequenceDiagram) {
    core::EventLog log;
    FillSampleLog(log);
    const std::string text = ui::ExportMermaid(HandshakeLesson(), log.View(), core::Lang::kEn);
    const Parsed p = Check(text);
    EXPECT_TRUE(p.errors.empty()) << ::testing::PrintToString(p.errors) << "\n" << text;
    EXPECT_EQ(p.participants, (std::set<std::string>{"server", "client", "kernel", "outside"}));
    EXPECT_EQ(p.calls, SampleCalls());
    ASSERT_EQ(p.packets.size(), 6u);
    EXPECT_EQ(p.packets[0], "SYN seq=0 win=65495");
    EXPECT_EQ(p.packets[1], "SYN, ACK seq=0 ack=1 win=65495");
    EXPECT_EQ(p.packets[3], "PSH, ACK seq=1 ack=1 win=65495 len=5");
    EXPECT_EQ(p.packets[5], "RST, ACK seq=1 ack=1 win=65495");
    // The packets go between the right lifelines: client p1 → server p0, outside p2 → p0.
    EXPECT_NE(text.find("    p1-)p0: SYN seq=0"), std::string::npos);
    EXPECT_NE(text.find("    p0-)p1: SYN, ACK"), std::string::npos);
    EXPECT_NE(text.find("    p2-)p0: SYN seq=0"), std::string::npos);
    EXPECT_NE(text.find("Note over p0: waits in the kernel (inet_csk_accept)"), std::string::npos);
    // The refused message keeps its special characters, as entity codes.
    bool refused = false;
    for (const std::string& n : p.notes) {
        refused = refused || n.find("a <b>&\"#;%% test") != std::string::npos;
    }
    EXPECT_TRUE(refused) << text;
    EXPECT_NE(text.find("#59;"), std::string::npos);
    EXPECT_NE(text.find("#35;"), std::string::npos);
}

TEST(ExportMermaid, WithoutPacketsItSaysSoAndSpeaksKorean) {
    core::EventLog full;
    FillSampleLog(full);
    core::EventLog log;
    const core::LogView view = full.View();
    for (size_t i = 0; i < view.size(); ++i) {
        if (view[i].phase != core::Phase::kPacket) log.Append(view[i]);
    }
    const std::string text = ui::ExportMermaid(HandshakeLesson(), log.View(), core::Lang::kKo);
    const Parsed p = Check(text);
    EXPECT_TRUE(p.errors.empty()) << ::testing::PrintToString(p.errors) << "\n" << text;
    EXPECT_TRUE(p.packets.empty());
    EXPECT_EQ(p.participants.count("outside"), 0u);
    EXPECT_EQ(p.calls, SampleCalls());
    EXPECT_NE(text.find("핸드셰이크 (테스트)"), std::string::npos);
    EXPECT_NE(text.find("CAP_NET_RAW"), std::string::npos);
}

TEST(ExportMermaid, RealRunShowsEveryCallInOrder) {
    core::Session session;
    SetUpHandshake(session);
    RunSteps(session, 10);
    const core::LogView log = session.Log();
    std::vector<std::string> calls;
    size_t packets = 0;
    for (size_t i = 0; i < log.size(); ++i) {
        if (log[i].phase == core::Phase::kEnter) {
            calls.push_back("[" + std::to_string(log[i].step + 1) + "] " +
                            core::FormatCall(log[i].request));
        }
        packets += log[i].phase == core::Phase::kPacket ? 1 : 0;
    }
    ASSERT_EQ(calls.size(), 10u);
    const Parsed p = Check(ui::ExportMermaid(HandshakeLesson(), log, core::Lang::kEn));
    EXPECT_TRUE(p.errors.empty()) << ::testing::PrintToString(p.errors);
    EXPECT_EQ(p.calls, calls);
    EXPECT_EQ(p.packets.size(), packets);  // captured ones when the test may capture, else none
}

// A UDP socket's state is said in ss's words, as on its card: a bound, unconnected one is
// UNCONN, not the TCP name CLOSE the kernel's state number has.
TEST(ExportMermaid, AUdpSocketsStateIsUnconnNotClose) {
    const core::LessonResult found =
        core::FindLesson("udp", std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets");
    ASSERT_TRUE(std::holds_alternative<core::Lesson>(found));
    const core::Lesson& lesson = std::get<core::Lesson>(found);
    core::Session session;
    core::AddActors(session, lesson);
    session.SetScript(core::ToScript(lesson));
    RunSteps(session, 2);  // socket(rx), bind(rx)
    const std::string text = ui::ExportMermaid(lesson, session.Log(), core::Lang::kEn);
    EXPECT_TRUE(std::regex_search(text, std::regex(R"(rx UNCONN 127\.0\.0\.1:\d+)"))) << text;
    EXPECT_EQ(text.find("rx CLOSE"), std::string::npos) << text;
}

}  // namespace
}  // namespace sockstep::testing
