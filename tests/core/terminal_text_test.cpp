// The one helper every front end uses before file or peer text reaches a terminal
// (terminal_text.h), and QuoteC, which shows data sent and received: nothing a terminal acts
// on passes through, printable text (Korean, emoji) does, and long text is cut.
#include "sockstep/core/terminal_text.h"

#include <gtest/gtest.h>

#include <string>

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
