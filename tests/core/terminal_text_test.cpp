// The one helper every front end uses before file or peer text reaches a terminal
// (terminal_text.h), and QuoteC, which shows data sent and received: nothing a terminal acts
// on passes through, printable text (Korean, emoji) does, and long text is cut.
#include "sockstep/core/terminal_text.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "sockstep/core/call.h"

namespace sockstep::core {
namespace {

TEST(TerminalText, ControlsC1BidiAndBadBytesBecomeEscapes) {
    const std::string text = std::string("a\0b", 3) + "\x1b]0;PWNED\x07\t\r\n\x7f" + "\xc2\x9b" +
                             "\xe2\x80\xae" + "\xe2\x81\xa6" + "\xff" + "한😀";
    EXPECT_EQ(TerminalSafe(text, 1000),
              "a\\u0000b\\u001b]0;PWNED\\u0007\\t\\r\\n\\u007f\\u009b\\u202e\\u2066\\xff한😀");
    // Narration keeps its line breaks, and only them.
    EXPECT_EQ(TerminalSafe("one\ntwo\r", 1000, true), "one\ntwo\\r");
}

// Each length at its edges (1 to 4 bytes), and back through the decoder unchanged.
TEST(TerminalText, AppendUtf8EncodesWhatUtf8AtDecodes) {
    const std::pair<char32_t, std::string> cases[] = {
        {U'\0', std::string(1, '\0')},
        {0x41, "A"},
        {0x7F, "\x7f"},
        {0x80, "\xc2\x80"},
        {0xE9, "\xc3\xa9"},
        {0x7FF, "\xdf\xbf"},
        {0x800, "\xe0\xa0\x80"},
        {0xD55C, "\xed\x95\x9c"},  // 한
        {0xFFFF, "\xef\xbf\xbf"},
        {0x10000, "\xf0\x90\x80\x80"},
        {0x1F600, "\xf0\x9f\x98\x80"},  // 😀
        {0x10FFFF, "\xf4\x8f\xbf\xbf"},
    };
    for (const auto& [code, bytes] : cases) {
        std::string out = "x";
        AppendUtf8(out, code);
        EXPECT_EQ(out, "x" + bytes) << std::hex << static_cast<unsigned>(code);
        char32_t back = 0;
        EXPECT_EQ(Utf8At(out, 1, back), bytes.size()) << std::hex << static_cast<unsigned>(code);
        EXPECT_EQ(back, code);
    }
}

// Surrogates and values past U+10FFFF have no UTF-8 form: U+FFFD stands in for them.
TEST(TerminalText, AppendUtf8ReplacesWhatIsNoCodePoint) {
    for (const char32_t code : {char32_t{0xD800}, char32_t{0xDBFF}, char32_t{0xDC00},
                                char32_t{0xDFFF}, char32_t{0x110000}, char32_t{0xFFFFFFFF}}) {
        std::string out;
        AppendUtf8(out, code);
        EXPECT_EQ(out, "\xef\xbf\xbd") << std::hex << static_cast<unsigned>(code);
    }
}

TEST(TerminalText, LongTextIsCutAtACharacterBoundary) {
    EXPECT_EQ(TerminalSafe("abcdef", 3), "abc…");
    // '한' is three bytes: a cut after 4 bytes keeps it whole.
    EXPECT_EQ(TerminalSafe("a한b", 2), "a한…");
    EXPECT_EQ(CutUtf8("a한b", 2), "a");
}

TEST(TerminalText, AMessageKeepsTheStartAndEndOfAHugeWord) {
    const std::string key(100000, 'k');
    const std::string message = TerminalSafeMessage("unknown key '" + key + "' in the lesson");
    EXPECT_LT(message.size(), 200u);
    EXPECT_EQ(message.rfind("unknown key 'kkkk", 0), 0u) << message;
    EXPECT_NE(message.find("…kkkkkkk' in the lesson"), std::string::npos) << message;
    // And the whole message is cut.
    std::string words;
    for (int i = 0; i < 1000; ++i) words += "word ";
    EXPECT_LE(TerminalSafeMessage(words).size(), 1000u + sizeof("…"));
}

TEST(TerminalText, QuoteCEscapesEveryByteATerminalWouldActOn) {
    // C0 and DEL as before; now also the C1 CSI, an override and a byte that is not UTF-8.
    EXPECT_EQ(QuoteC(std::string("a\0\x1b\x7f", 4)), "\"a\\000\\033\\177\"");
    EXPECT_EQ(QuoteC("\xc2\x9b"
                     "31m\xe2\x80\xae\xff"),
              "\"\\302\\23331m\\342\\200\\256\\377\"");
    EXPECT_EQ(QuoteC("한😀"), "\"한😀\"");
    EXPECT_EQ(QuoteC("abcdef", 3), "\"abc\"...");
}

}  // namespace
}  // namespace sockstep::core
