// Text from a file or a peer made safe to print on a terminal: the one helper every front end
// uses before file or peer text reaches standard output or error (check, trace, export, the log
// reader's messages).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sockstep::core {

// The bytes of a file value shown in a message: enough to recognise it, never a whole page.
inline constexpr size_t kMaxShownBytes = 40;

// The length of the UTF-8 sequence at byte `i` of `text` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF) with its code point in `code`; 0 when it is not UTF-8.
size_t Utf8At(std::string_view text, size_t i, char32_t& code);

// The encoder beside that decoder: `code` appended to `out` as UTF-8 (1 to 4 bytes). What
// Utf8At would refuse (a surrogate, anything above U+10FFFF) becomes U+FFFD, the replacement
// character, so the output is always UTF-8.
void AppendUtf8(std::string& out, char32_t code);

// Would a terminal act on this character instead of showing it: C0 and C1 controls, DEL, the
// bidirectional overrides and isolates?
bool TerminalActsOn(char32_t code);

// `text` cut to at most `limit` bytes at a character boundary (no "…" added).
std::string CutUtf8(std::string_view text, size_t limit);

// `text` with nothing a terminal would act on: C0 controls, DEL, C1 controls (U+0080-U+009F)
// and the bidirectional overrides (U+202A-U+202E, U+2066-U+2069) become escapes such as \u001b
// or \t, invalid UTF-8 bytes become \xff. `keep_newlines` leaves '\n' as a line break (for
// narration). Cut after `max_bytes` bytes of `text` with "…".
std::string TerminalSafe(std::string_view text, size_t max_bytes, bool keep_newlines = false);

// TerminalSafe for a one-line message: every run of more than 64 bytes without a space (a
// 500 KB key quoted in an error) keeps its start and end around "…", and the whole message is
// cut at `max_bytes`.
std::string TerminalSafeMessage(std::string_view message, size_t max_bytes = 1000);

}  // namespace sockstep::core
