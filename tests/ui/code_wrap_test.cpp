// Long code lines wrapped to a width, measured with the code font sockstep draws them in: every
// row fits, rows break at spaces when the line has one to break at, continuation rows hang
// further in than the line's own indentation, and nothing of the text is lost.
#include "sockstep/ui/code_wrap.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "headless.h"
#include "sockstep/ui/fonts.h"

namespace sockstep::testing {
namespace {

const std::string kSocket = "    int listener = socket(AF_INET, SOCK_STREAM, 0);";
const std::string kComment =
    "struct sockaddr_in addr = { .sin_port = htons(0) }; /* 0: 커널이 고른다 */";
const std::string kToken = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const std::string kHangul = "커널이포트를고른다커널이포트를고른다커널이포트를고른다";

class CodeWrap : public ::testing::Test {
  protected:
    void SetUp() override {
        ui::BuildFonts(*ImGui::GetIO().Fonts, 1.0f, kSocket + kComment + kToken + kHangul, m_fonts);
        ASSERT_NE(m_fonts.code, nullptr);
        unsigned char* pixels = nullptr;
        int w = 0;
        int h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
        m_font = m_fonts.code;
        m_hang = m_font->GetCharAdvance(' ') * 4;
    }
    float Width(const std::string& text, const ui::CodeRow& row) const {
        return m_font
            ->CalcTextSizeA(m_font->FontSize, FLT_MAX, 0, text.data() + row.begin,
                            text.data() + row.end)
            .x;
    }
    std::vector<ui::CodeRow> Wrap(const std::string& text, float width) const {
        std::vector<ui::CodeRow> rows;
        ui::WrapCodeLine(*m_font, m_font->FontSize, text, width, m_hang, rows);
        return rows;
    }
    // Every row within `width` (after its indent), each starting where the last ended (past
    // the spaces dropped at the break), the last ending at the text's end.
    void ExpectWholeAndFitting(const std::string& text, const std::vector<ui::CodeRow>& rows,
                               float width) const {
        ASSERT_FALSE(rows.empty());
        EXPECT_EQ(rows.front().begin, 0u);
        EXPECT_EQ(rows.front().indent, 0.0f);
        EXPECT_EQ(rows.back().end, text.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            SCOPED_TRACE("row " + std::to_string(i));
            EXPECT_LT(rows[i].begin, rows[i].end) << "an empty row";
            EXPECT_LE(rows[i].indent + Width(text, rows[i]), width);
            if (i == 0) continue;
            for (size_t b = rows[i - 1].end; b < rows[i].begin; ++b) EXPECT_EQ(text[b], ' ');
            // Never inside a UTF-8 sequence.
            EXPECT_NE(static_cast<unsigned char>(text[rows[i].begin]) & 0xC0, 0x80);
        }
    }
    HeadlessImGui m_gui;
    ui::FontSet m_fonts;
    ImFont* m_font = nullptr;
    float m_hang = 0;
};

TEST_F(CodeWrap, AShortLineIsOneRow) {
    const std::vector<ui::CodeRow> rows = Wrap(kSocket, 2000);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].end, kSocket.size());
}

TEST_F(CodeWrap, ALongLineBreaksAtSpacesAndItsContinuationsHang) {
    // 26 columns of the code font: the line needs three rows, and every token of it fits the
    // 18 columns a continuation has after its hang.
    const float width = m_font->GetCharAdvance('A') * 26.5f;
    const std::vector<ui::CodeRow> rows = Wrap(kSocket, width);
    ExpectWholeAndFitting(kSocket, rows, width);
    ASSERT_EQ(rows.size(), 3u);
    for (size_t i = 1; i < rows.size(); ++i) {
        SCOPED_TRACE("row " + std::to_string(i));
        // At a space: the previous row ends just before one, and no token is split.
        EXPECT_EQ(kSocket[rows[i - 1].end], ' ');
        // Hanging past the line's own four leading spaces.
        EXPECT_FLOAT_EQ(rows[i].indent, m_font->GetCharAdvance(' ') * 4 + m_hang);
    }
    EXPECT_EQ(kSocket.substr(rows[0].begin, rows[0].end - rows[0].begin), "    int listener =");
    EXPECT_EQ(kSocket.substr(rows[1].begin, rows[1].end - rows[1].begin), "socket(AF_INET,");
    EXPECT_EQ(kSocket.substr(rows[2].begin, rows[2].end - rows[2].begin), "SOCK_STREAM, 0);");
}

TEST_F(CodeWrap, KoreanCommentsBreakAtSpacesToo) {
    const float width = m_font->GetCharAdvance('A') * 20.0f;
    const std::vector<ui::CodeRow> rows = Wrap(kComment, width);
    ExpectWholeAndFitting(kComment, rows, width);
    ASSERT_GE(rows.size(), 3u);
    for (size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(kComment[rows[i - 1].end], ' ');
}

TEST_F(CodeWrap, ATokenWiderThanTheRowIsCutBetweenCharacters) {
    const float width = m_font->GetCharAdvance('A') * 12.5f;
    for (const std::string& text : {kToken, kHangul}) {
        SCOPED_TRACE(text);
        const std::vector<ui::CodeRow> rows = Wrap(text, width);
        ExpectWholeAndFitting(text, rows, width);
        EXPECT_GE(rows.size(), 3u);
    }
}

TEST_F(CodeWrap, ATokenWiderThanTheRowBreaksAfterAParenthesisOrComma) {
    const std::string text = "int conn3 = accept(listener,NULL,NULL);";
    const float width = m_font->GetCharAdvance('A') * 15.5f;
    const std::vector<ui::CodeRow> rows = Wrap(text, width);
    ExpectWholeAndFitting(text, rows, width);
    std::vector<std::string> pieces;
    for (const ui::CodeRow& row : rows)
        pieces.push_back(text.substr(row.begin, row.end - row.begin));
    EXPECT_EQ(pieces,
              (std::vector<std::string>{"int conn3 =", "accept(", "listener,", "NULL,NULL);"}));
}

TEST_F(CodeWrap, ARowNarrowerThanOneCharacterStillMakesProgress) {
    const std::vector<ui::CodeRow> rows = Wrap(kSocket, 1.0f);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows.back().end, kSocket.size());
    for (const ui::CodeRow& row : rows) EXPECT_LT(row.begin, row.end);
}

// The wrap kept across frames gives exactly the rows of a fresh wrap: after lines are added (a
// call), after a line in the middle changes, after the width changes, after lines are removed.
TEST_F(CodeWrap, AKeptWrapEqualsAFreshOne) {
    auto fresh = [&](const std::vector<std::string_view>& texts, float width) {
        ui::CodeWrap w;
        ui::WrapCodeLines(*m_font, m_font->FontSize, texts, width, m_hang, w);
        return w;
    };
    auto expect_same = [](const ui::CodeWrap& a, const ui::CodeWrap& b) {
        ASSERT_EQ(a.first, b.first);
        ASSERT_EQ(a.rows.size(), b.rows.size());
        for (size_t r = 0; r < a.rows.size(); ++r) {
            EXPECT_EQ(a.rows[r].begin, b.rows[r].begin) << r;
            EXPECT_EQ(a.rows[r].end, b.rows[r].end) << r;
            EXPECT_EQ(a.rows[r].indent, b.rows[r].indent) << r;
        }
        EXPECT_EQ(a.texts, b.texts);
    };
    const float width = m_font->GetCharAdvance('A') * 20;
    std::vector<std::string_view> texts = {kSocket, kComment};
    ui::CodeWrap kept;
    ui::WrapCodeLines(*m_font, m_font->FontSize, texts, width, m_hang, kept);
    ASSERT_GT(kept.rows.size(), texts.size());  // the lines do wrap at this width
    expect_same(kept, fresh(texts, width));

    texts.push_back(kToken);
    texts.push_back(kHangul);
    ui::WrapCodeLines(*m_font, m_font->FontSize, texts, width, m_hang, kept);
    expect_same(kept, fresh(texts, width));

    texts[1] = kSocket;
    ui::WrapCodeLines(*m_font, m_font->FontSize, texts, width, m_hang, kept);
    expect_same(kept, fresh(texts, width));

    ui::WrapCodeLines(*m_font, m_font->FontSize, texts, width * 2, m_hang, kept);
    expect_same(kept, fresh(texts, width * 2));

    texts.resize(1);
    ui::WrapCodeLines(*m_font, m_font->FontSize, texts, width * 2, m_hang, kept);
    expect_same(kept, fresh(texts, width * 2));
}

}  // namespace
}  // namespace sockstep::testing
