// The font atlas draws every ASCII character as itself in both languages: the Korean fonts map
// U+005C to a won sign and NanumGothicCoding draws U+007C as a broken bar, so ASCII comes from
// DejaVu and Hangul from NanumGothic merged into the same font. Each glyph's bitmap in the atlas
// sockstep builds is compared with the one a DejaVu-only (or Nanum-only) atlas of the same size
// renders: equal bitmaps come from the same font.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "sockstep/ui/fonts.h"

namespace sockstep::testing {
namespace {

constexpr float kScale = 2.0f;  // big enough that a won sign and a backslash differ in ink

struct Bitmap {
    int width = 0;
    int height = 0;
    std::vector<unsigned char> alpha;
    bool operator==(const Bitmap&) const = default;
};

// The glyph's pixels as they are in the atlas texture (after Build()).
Bitmap GlyphBitmap(ImFontAtlas& atlas, const ImFont* font, ImWchar c) {
    unsigned char* pixels = nullptr;
    int tex_w = 0;
    int tex_h = 0;
    atlas.GetTexDataAsAlpha8(&pixels, &tex_w, &tex_h);
    Bitmap out;
    const ImFontGlyph* g = font->FindGlyphNoFallback(c);
    if (g == nullptr || pixels == nullptr) return out;
    const int x0 = static_cast<int>(g->U0 * static_cast<float>(tex_w) + 0.5f);
    const int y0 = static_cast<int>(g->V0 * static_cast<float>(tex_h) + 0.5f);
    const int x1 = static_cast<int>(g->U1 * static_cast<float>(tex_w) + 0.5f);
    const int y1 = static_cast<int>(g->V1 * static_cast<float>(tex_h) + 0.5f);
    out.width = x1 - x0;
    out.height = y1 - y0;
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) out.alpha.push_back(pixels[y * tex_w + x]);
    }
    return out;
}

// One font from one file with the same size and oversampling as BuildFonts.
struct SingleFont {
    SingleFont(const char* path, const ImWchar* ranges) {
        ImFontConfig config;
        config.OversampleH = 2;
        config.OversampleV = 1;
        font = atlas.AddFontFromFileTTF(path, ui::kBaseFontPixels * kScale, &config, ranges);
        atlas.Build();
    }
    ImFontAtlas atlas;
    ImFont* font = nullptr;
};

constexpr ImWchar kTestChars[] = {0x0020, 0x007E, 0xBC31, 0xBC31, 0};  // ASCII, 백

class KoreanAtlas : public ::testing::Test {
  protected:
    void SetUp() override {
        for (const char* path :
             {ui::kUiFontPath, ui::kCodeFontPath, ui::kLatinUiFontPath, ui::kLatinCodeFontPath}) {
            ASSERT_EQ(access(path, R_OK), 0) << path
                                             << " is missing: install fonts-nanum and "
                                                "fonts-dejavu-core (scripts/lib.sh)";
        }
        // A Korean screen's text with a backslash and a pipe in it.
        ui::BuildFonts(atlas, kScale, "백슬래시 \\ 파이프 | 한국어", set);
        ASSERT_NE(set.ui, nullptr);
        ASSERT_NE(set.code, nullptr);
    }
    ImFontAtlas atlas;
    ui::FontSet set;
};

TEST_F(KoreanAtlas, BackslashAndPipeAreDejaVusInTheUiFont) {
    EXPECT_TRUE(set.korean_capable);
    EXPECT_TRUE(set.latin_ascii);
    SingleFont latin(ui::kLatinUiFontPath, kTestChars);
    SingleFont nanum(ui::kUiFontPath, kTestChars);
    for (const ImWchar c : {ImWchar{'\\'}, ImWchar{'|'}, ImWchar{'A'}}) {
        SCOPED_TRACE(std::string(1, static_cast<char>(c)));
        const Bitmap shown = GlyphBitmap(atlas, set.ui, c);
        ASSERT_FALSE(shown.alpha.empty());
        EXPECT_EQ(shown, GlyphBitmap(latin.atlas, latin.font, c)) << "not DejaVu's glyph";
        EXPECT_EQ(set.ui->FindGlyphNoFallback(c)->AdvanceX,
                  latin.font->FindGlyphNoFallback(c)->AdvanceX);
    }
    // The comparison tells the fonts apart: NanumGothic's U+005C is another drawing (a won sign).
    EXPECT_NE(GlyphBitmap(nanum.atlas, nanum.font, '\\'),
              GlyphBitmap(latin.atlas, latin.font, '\\'));
    // Hangul still comes from NanumGothic.
    const Bitmap hangul = GlyphBitmap(atlas, set.ui, 0xBC31);
    ASSERT_FALSE(hangul.alpha.empty()) << "U+BC31 is missing from the merged font";
    EXPECT_EQ(hangul, GlyphBitmap(nanum.atlas, nanum.font, 0xBC31));
}

TEST_F(KoreanAtlas, PipeIsAnUnbrokenBarInTheCodeFont) {
    SingleFont latin(ui::kLatinCodeFontPath, kTestChars);
    SingleFont nanum(ui::kCodeFontPath, kTestChars);
    const Bitmap pipe = GlyphBitmap(atlas, set.code, '|');
    ASSERT_FALSE(pipe.alpha.empty());
    EXPECT_EQ(pipe, GlyphBitmap(latin.atlas, latin.font, '|')) << "not DejaVu Sans Mono's glyph";
    EXPECT_EQ(GlyphBitmap(atlas, set.code, '\\'), GlyphBitmap(latin.atlas, latin.font, '\\'));
    // Every row of the glyph has ink: a bar, not a broken bar (NanumGothicCoding's has a gap).
    auto rows_without_ink = [](const Bitmap& b) {
        int empty = 0;
        for (int y = 1; y + 1 < b.height; ++y) {
            bool ink = false;
            for (int x = 0; x < b.width; ++x) ink = ink || b.alpha[y * b.width + x] > 128;
            empty += ink ? 0 : 1;
        }
        return empty;
    };
    EXPECT_EQ(rows_without_ink(pipe), 0);
    EXPECT_GT(rows_without_ink(GlyphBitmap(nanum.atlas, nanum.font, '|')), 0)
        << "NanumGothicCoding's U+007C was expected to be a broken bar";
    EXPECT_EQ(GlyphBitmap(atlas, set.code, 0xBC31), GlyphBitmap(nanum.atlas, nanum.font, 0xBC31));
}

}  // namespace
}  // namespace sockstep::testing
