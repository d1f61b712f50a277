// Private helpers of the lesson reader: positioned errors, typed look-ups in toml++ tables with
// messages a teacher can act on, and "did you mean" suggestions. Used by lesson_parse.cpp only.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sockstep/core/lesson.h"

namespace sockstep::core::lesson_detail {

// Every error found in one file. Reading goes on after an error, so a teacher sees them all, up
// to kMaxErrors (then one line says how many more there are).
class Diagnostics {
  public:
    static constexpr size_t kMaxErrors = 20;

    explicit Diagnostics(std::string file) : m_file(std::move(file)) {}

    void Error(const toml::source_region& where, std::string message);
    void Error(int line, int column, std::string message);
    bool Empty() const { return m_errors.empty(); }
    std::vector<LessonError> Take();

  private:
    std::string m_file;
    std::vector<LessonError> m_errors;
};

int LineOf(const toml::source_region& where);

// What is wrong when `text` holds a control character (C0 but '\n' when `allow_newline`, DEL,
// C1) no window or terminal should be given: "has the control character U+0000 at …".
std::optional<std::string> UnprintableIn(std::string_view text, bool allow_newline);

// "a string", "an integer", … for messages about wrong types.
std::string_view TypeName(const toml::node& node);

// The closest candidate within a small edit distance (case differences cost nothing), or "".
std::string_view Suggest(std::string_view word, std::span<const std::string_view> candidates);
// " (did you mean 'x'?)" or "".
std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates);
std::string JoinQuoted(std::span<const std::string_view> words);

// Typed reading of one table. `what` names the table in messages ("step 3", "the lesson").
class TableReader {
  public:
    TableReader(Diagnostics& diagnostics, const toml::table& table, std::string what)
        : m_diag(diagnostics), m_table(table), m_what(std::move(what)) {}

    const toml::table& Table() const { return m_table; }
    const std::string& What() const { return m_what; }
    const toml::node* Find(std::string_view key) const { return m_table.get(key); }
    bool Has(std::string_view key) const { return m_table.contains(key); }

    // Reports every key not in `allowed`. Returns false when there was one.
    bool CheckKeys(std::span<const std::string_view> allowed);

    std::optional<std::string> String(std::string_view key, bool required,
                                      std::string_view example);
    // Data to send or to expect: bytes, control characters and NUL included (never shown raw).
    std::optional<std::string> Bytes(std::string_view key, bool required, std::string_view example);
    std::optional<int64_t> Integer(std::string_view key, bool required, int64_t min, int64_t max,
                                   std::string_view meaning);
    std::optional<bool> Boolean(std::string_view key, bool required);
    // A { ko = "…", en = "…" } table with both texts present and not empty.
    std::optional<LocalizedText> Text(std::string_view key, bool required);
    // A list of strings (for poll's sockets and events).
    std::optional<std::vector<std::pair<std::string, toml::source_region>>> Strings(
        std::string_view key, bool required, std::string_view example);

    void Missing(std::string_view key, std::string_view example);
    void WrongType(std::string_view key, const toml::node& node, std::string_view wanted,
                   std::string_view example);
    void Error(const toml::source_region& where, std::string message) {
        m_diag.Error(where, std::move(message));
    }
    void Error(std::string message) { m_diag.Error(m_table.source(), std::move(message)); }

  private:
    Diagnostics& m_diag;
    const toml::table& m_table;
    std::string m_what;
};

// A localized text read from a node that should be a { ko, en } table.
std::optional<LocalizedText> ReadText(Diagnostics& diagnostics, const toml::node& node,
                                      std::string_view name);

// A place in a lesson file that toml++ 3.3.0 (Debian 12) cannot read safely. Asked whether
// certain non-ASCII characters are whitespace (U+00A1-U+0499: accented Latin letters, Greek,
// Cyrillic; U+2C6E-U+3067: CJK punctuation such as '。', Hiragana; U+FB26-U+FEFE), its
// is_non_ascii_horizontal_whitespace() reaches __builtin_unreachable(): undefined behaviour
// (marzer/tomlplusplus#190, #295; found by fuzz/lesson_fuzz). It asks only about characters
// outside quotes, after a backslash in a """multi-line""" string, and after a line-ending
// backslash there. The first two are never valid TOML; the third is, and has a safe spelling.
struct UnsafeText {
    size_t statement_start = 0;  // byte offset of the line where the TOML statement starts
    int line = 0;
    int column = 0;  // in characters, as toml++ counts
    std::string message;
};
// The first such place, or nothing. Stops at the first invalid UTF-8, which toml++ refuses
// before it classifies anything after it.
std::optional<UnsafeText> FindTextTomlCannotRead(std::string_view text);

// The line and column (in characters, as toml++ counts) of the first byte that is not UTF-8.
// toml++ 3.3 reports such a byte at the character before it.
std::optional<std::pair<int, int>> FirstInvalidUtf8(std::string_view text);

}  // namespace sockstep::core::lesson_detail
