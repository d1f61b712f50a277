// Typed, positioned reading of toml++ tables for the lesson reader. Every message says where,
// what was found, and what to write instead, because the reader is a teacher, not a programmer.
#include "lesson_toml.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <utility>

#include "sockstep/core/terminal_text.h"

namespace sockstep::core::lesson_detail {

void Diagnostics::Error(const toml::source_region& where, std::string message) {
    Error(static_cast<int>(where.begin.line), static_cast<int>(where.begin.column),
          std::move(message));
}

void Diagnostics::Error(int line, int column, std::string message) {
    // Messages quote the file's text (names, values, toml++'s descriptions): escaped and cut
    // here, once, so no control character or 500 KB key reaches the terminal.
    m_errors.push_back(LessonError{m_file, line, column, TerminalSafeMessage(message)});
}

std::vector<LessonError> Diagnostics::Take() {
    // Sorted by position so the teacher reads the file top to bottom.
    std::stable_sort(m_errors.begin(), m_errors.end(), [](const auto& a, const auto& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    // A file that is not a lesson at all gives an error on every line; the first ones say
    // what is wrong.
    if (m_errors.size() > kMaxErrors) {
        const LessonError& next = m_errors[kMaxErrors];
        const size_t more = m_errors.size() - kMaxErrors;
        LessonError last{m_file, next.line, next.column,
                         std::to_string(more) + " more error" + (more == 1 ? "" : "s") +
                             " from here on are not shown; fix the ones above first"};
        m_errors.resize(kMaxErrors);
        m_errors.push_back(std::move(last));
    }
    return std::move(m_errors);
}

int LineOf(const toml::source_region& where) {
    return static_cast<int>(where.begin.line);
}

std::optional<std::string> UnprintableIn(std::string_view text, bool allow_newline) {
    size_t character = 0;
    for (size_t i = 0; i < text.size(); ++character) {
        const auto c = static_cast<unsigned char>(text[i]);
        // toml++ has checked the UTF-8; C1 controls are the two-byte forms C2 80-C2 9F.
        const bool c1 =
            c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if ((c < 0x20 && !(allow_newline && c == '\n')) || c == 0x7F || c1) {
            const unsigned code = c1 ? static_cast<unsigned char>(text[i + 1]) : c;
            char name[16];
            std::snprintf(name, sizeof name, "U+%04X", code);
            return "has the control character " + std::string(name) + " at character " +
                   std::to_string(character + 1) + " of its text" +
                   (allow_newline ? " (only line breaks are allowed)" : "") +
                   ": a lesson's texts are shown in the window and on a terminal, so remove it";
        }
        i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
    return std::nullopt;
}

std::string_view TypeName(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "a whole number";
        case toml::node_type::floating_point:
            return "a decimal number";
        case toml::node_type::boolean:
            return "true/false";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "a list";
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time:
            return "a date or time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

namespace {

char Lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Levenshtein distance, ignoring case: "Accept" and "accept" are the same word to a reader.
size_t Distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            const size_t cost = Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string_view Suggest(std::string_view word, std::span<const std::string_view> candidates) {
    if (word.size() > 64) return {};
    std::string_view best;
    size_t best_distance = word.size() <= 3 ? 1 : (word.size() <= 6 ? 2 : 3);
    best_distance += 1;
    for (std::string_view c : candidates) {
        const size_t d = Distance(word, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates) {
    const std::string_view s = Suggest(word, candidates);
    if (s.empty()) return {};
    return " (did you mean '" + std::string(s) + "'?)";
}

std::string JoinQuoted(std::span<const std::string_view> words) {
    std::string out;
    for (size_t i = 0; i < words.size(); ++i) {
        if (i) out += ", ";
        out += "'" + std::string(words[i]) + "'";
    }
    return out;
}

bool TableReader::CheckKeys(std::span<const std::string_view> allowed) {
    bool ok = true;
    for (const auto& [key, node] : m_table) {
        const std::string_view k = key.str();
        if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
        ok = false;
        const std::string_view near = Suggest(k, allowed);
        std::string message = "unknown key '" + std::string(k) + "' in " + m_what;
        if (!near.empty()) {
            message += "; did you mean '" + std::string(near) + "'?";
        } else {
            message += "; the keys allowed here are " + JoinQuoted(allowed);
        }
        m_diag.Error(key.source(), std::move(message));
    }
    return ok;
}

void TableReader::Missing(std::string_view key, std::string_view example) {
    std::string message = m_what + " has no '" + std::string(key) + "'";
    if (!example.empty()) message += ": add a line such as " + std::string(example);
    Error(std::move(message));
}

void TableReader::WrongType(std::string_view key, const toml::node& node, std::string_view wanted,
                            std::string_view example) {
    std::string message = "'" + std::string(key) + "' in " + m_what + " must be " +
                          std::string(wanted) + ", not " + std::string(TypeName(node));
    if (!example.empty()) message += "; for example " + std::string(example);
    m_diag.Error(node.source(), std::move(message));
}

std::optional<std::string> TableReader::String(std::string_view key, bool required,
                                               std::string_view example) {
    const toml::node* node = Find(key);
    if (!node) {
        if (required) Missing(key, example);
        return std::nullopt;
    }
    if (const auto* s = node->as_string()) {
        // Every front end shows these texts (a NUL aborted the window's font builder, and a
        // host cut at its NUL bound 127.0.0.1): refused here, so what check accepts, all run.
        if (const auto problem = UnprintableIn(s->get(), false)) {
            m_diag.Error(node->source(),
                         "'" + std::string(key) + "' in " + m_what + " " + *problem);
            return std::nullopt;
        }
        return s->get();
    }
    WrongType(key, *node, "a text in double quotes", example);
    return std::nullopt;
}

std::optional<std::string> TableReader::Bytes(std::string_view key, bool required,
                                              std::string_view example) {
    const toml::node* node = Find(key);
    if (!node) {
        if (required) Missing(key, example);
        return std::nullopt;
    }
    if (const auto* s = node->as_string()) return s->get();
    WrongType(key, *node, "a text in double quotes", example);
    return std::nullopt;
}

std::optional<int64_t> TableReader::Integer(std::string_view key, bool required, int64_t min,
                                            int64_t max, std::string_view meaning) {
    const toml::node* node = Find(key);
    const std::string example = std::string(key) + " = " + std::to_string(min < 0 ? 0 : min);
    if (!node) {
        if (required) Missing(key, example);
        return std::nullopt;
    }
    const auto* i = node->as_integer();
    if (!i) {
        WrongType(key, *node, "a whole number without quotes", example);
        return std::nullopt;
    }
    const int64_t v = i->get();
    if (v < min || v > max) {
        m_diag.Error(node->source(), "'" + std::string(key) + "' is " + std::to_string(v) +
                                         ", but " + std::string(meaning) + " must be between " +
                                         std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return v;
}

std::optional<bool> TableReader::Boolean(std::string_view key, bool required) {
    const toml::node* node = Find(key);
    const std::string example = std::string(key) + " = true";
    if (!node) {
        if (required) Missing(key, example);
        return std::nullopt;
    }
    if (const auto* b = node->as_boolean()) return b->get();
    WrongType(key, *node, "true or false (without quotes)", example);
    return std::nullopt;
}

std::optional<LocalizedText> ReadText(Diagnostics& diag, const toml::node& node,
                                      std::string_view name) {
    const std::string n(name);
    const auto* table = node.as_table();
    if (!table) {
        diag.Error(node.source(), "'" + n + "' needs a Korean and an English text, not " +
                                      std::string(TypeName(node)) + ": write " + n +
                                      ".ko = \"…\" and " + n + ".en = \"…\"");
        return std::nullopt;
    }
    bool ok = true;
    bool refused = false;  // a text refused above is not also called empty
    LocalizedText text;
    for (const auto& [key, value] : *table) {
        const std::string_view k = key.str();
        if (k != "ko" && k != "en") {
            diag.Error(key.source(), "'" + n +
                                         "' takes only 'ko' (Korean) and 'en' (English), "
                                         "not '" +
                                         std::string(k) + "'");
            ok = false;
            continue;
        }
        const auto* s = value.as_string();
        if (!s) {
            diag.Error(value.source(), "'" + n + "." + std::string(k) +
                                           "' must be a text in double quotes, not " +
                                           std::string(TypeName(value)));
            ok = false;
            continue;
        }
        if (const auto problem = UnprintableIn(s->get(), true)) {
            diag.Error(value.source(), "'" + n + "." + std::string(k) + "' " + *problem);
            ok = false;
            refused = true;
            continue;
        }
        (k == "ko" ? text.ko : text.en) = s->get();
    }
    for (const auto& [code, language, value] :
         {std::tuple{"ko", "Korean", &text.ko}, std::tuple{"en", "English", &text.en}}) {
        if (!table->contains(code)) {
            diag.Error(table->source(), "'" + n + "' has no " + language + " text: add " + n + "." +
                                            code + " = \"…\"");
            ok = false;
        } else if (!refused && value->find_first_not_of(" \t\r\n") == std::string::npos &&
                   table->get(code)->is_string()) {
            diag.Error(table->get(code)->source(),
                       "'" + n + "." + code + "' is empty: write the " + language + " text");
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    return text;
}

std::optional<LocalizedText> TableReader::Text(std::string_view key, bool required) {
    const toml::node* node = Find(key);
    if (!node) {
        if (required) {
            const std::string k(key);
            Error(m_what + " has no '" + k + "': add " + k + ".ko = \"…\" and " + k +
                  ".en = \"…\"");
        }
        return std::nullopt;
    }
    return ReadText(m_diag, *node, key);
}

std::optional<std::vector<std::pair<std::string, toml::source_region>>> TableReader::Strings(
    std::string_view key, bool required, std::string_view example) {
    const toml::node* node = Find(key);
    if (!node) {
        if (required) Missing(key, example);
        return std::nullopt;
    }
    const auto* array = node->as_array();
    if (!array) {
        WrongType(key, *node, "a list in square brackets", example);
        return std::nullopt;
    }
    std::vector<std::pair<std::string, toml::source_region>> out;
    bool ok = true;
    for (const toml::node& element : *array) {
        if (const auto* s = element.as_string()) {
            if (const auto problem = UnprintableIn(s->get(), false)) {
                m_diag.Error(element.source(), "an entry of '" + std::string(key) + "' in " +
                                                   m_what + " " + *problem);
                ok = false;
                continue;
            }
            out.emplace_back(s->get(), element.source());
        } else {
            m_diag.Error(element.source(), "every entry of '" + std::string(key) + "' in " +
                                               m_what + " must be a text in double quotes, not " +
                                               std::string(TypeName(element)));
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    return out;
}

namespace {

// toml++ 3.3.0's is_non_ascii_horizontal_whitespace() answers for whitespace and for the 64
// blocks of 0x3FA code points its bit table rules out; in blocks 0, 11 and 63 everything else
// falls to __builtin_unreachable() (a switch default).
bool TomlCannotClassify(char32_t c) {
    if (c < 0xA0 || c > 0xFEFF || c == 0xA0 || c == 0x3000 || c == 0xFEFF) return false;
    const uint64_t block = (static_cast<uint64_t>(c) - 0xA0) / 0x3FA;
    return block == 0 || block == 11 || block == 63;
}

// The characters toml++ skips as horizontal whitespace (its is_horizontal_whitespace).
bool TomlHorizontalSpace(char32_t c) {
    return c == U' ' || c == U'\t' || c == 0xA0 || c == 0x1680 || c == 0x180E ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x2060 ||
           c == 0x3000 || c == 0xFEFF;
}

// The code point at `i` and its length in bytes; length 0 when the bytes there are not UTF-8
// (the one decoder, terminal_text.h's Utf8At).
std::pair<char32_t, size_t> DecodeUtf8(std::string_view s, size_t i) {
    char32_t c = 0;
    const size_t length = Utf8At(s, i, c);
    return {length == 0 ? 0 : c, length};
}

// "'é' (U+00E9)"
std::string Describe(std::string_view bytes, char32_t c) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
    return "'" + std::string(bytes) + "' (" + code + ")";
}

constexpr std::string_view kNotToml = " (this is not valid TOML; docs/LESSONS.md shows the format)";

}  // namespace

std::optional<std::pair<int, int>> FirstInvalidUtf8(std::string_view text) {
    int line = 1;
    int column = 1;
    for (size_t i = 0; i < text.size();) {
        const auto [c, length] = DecodeUtf8(text, i);
        if (length == 0) return std::pair{line, column};
        i += length;
        if (c == U'\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return std::nullopt;
}

std::optional<UnsafeText> FindTextTomlCannotRead(std::string_view text) {
    // Where the reader is: in TOML itself, in a comment or a string (which keep their text), or
    // in a value that starts with a digit or a sign. toml++ reads such a value ahead up to a
    // space, ']', '}', ',' or '#' to tell numbers from dates, and asks of every character,
    // quotes included, whether it is whitespace.
    enum class Mode { kToml, kComment, kBasic, kLiteral, kMultiBasic, kMultiLiteral, kNumber };
    Mode mode = Mode::kToml;
    size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // toml++ skips a byte order mark
    int line = 1;
    int column = 1;
    // The brackets open: '[' an array, '{' an inline table, 'h' a table header. An array or an
    // inline table goes on over line breaks.
    std::string open;
    bool after_equals = false;  // at the top or in an inline table: a value comes, not a key
    size_t statement = 0;       // the start of the line where the current statement started

    // Moves over the code point at i (already known to be UTF-8).
    const auto advance = [&] {
        const auto [c, length] = DecodeUtf8(text, i);
        i += length;
        if (c == U'\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    };
    const auto unsafe = [&](std::string message) {
        return UnsafeText{statement, line, column, std::move(message)};
    };
    const auto in_value = [&] {
        if (!open.empty() && open.back() == '[') return true;
        if (!open.empty() && open.back() == 'h') return false;
        return after_equals;
    };
    // Text toml++ would classify: a character that is not ASCII where only TOML may stand.
    const auto outside_quotes = [&](std::string_view bytes, char32_t c) {
        if (TomlHorizontalSpace(c)) {
            // A no-break space or another Unicode space, often pasted from a web page.
            return unsafe(Describe(bytes, c) +
                          " looks like a space but is not one: TOML allows only plain spaces and "
                          "tabs here; type a plain space instead" +
                          std::string(kNotToml));
        }
        // Never valid TOML: outside quotes only ASCII letters, digits, '_' and '-' (keys) and
        // numbers, true/false and dates (values) may stand.
        return unsafe(Describe(bytes, c) +
                      " is outside double quotes: write text such as a name or a narration in "
                      "double quotes, \"like this\"" +
                      std::string(kNotToml));
    };
    // A run of at least three quotes closes a multi-line string; up to two more are its text.
    const auto close_multi = [&](char quote) {
        if (text.substr(i, 3) != std::string(3, quote)) return false;
        for (int k = 0; k < 5 && i < text.size() && text[i] == quote; ++k) advance();
        mode = Mode::kToml;
        return true;
    };

    while (i < text.size()) {
        const auto [c, length] = DecodeUtf8(text, i);
        if (length == 0) return std::nullopt;
        const std::string_view bytes = text.substr(i, length);
        switch (mode) {
            case Mode::kNumber:
                if (c == U' ' || c == U'\t' || c == U'\r' || c == U'\n' || c == U']' || c == U'}' ||
                    c == U',' || c == U'#') {
                    mode = Mode::kToml;
                    continue;  // read it again as TOML
                }
                if (c >= 0x80) return outside_quotes(bytes, c);
                break;
            case Mode::kToml:
                if (c == U'#') {
                    mode = Mode::kComment;
                } else if (c == U'"' || c == U'\'') {
                    const bool multi = text.substr(i, 3) == std::string(3, static_cast<char>(c));
                    if (multi) {
                        advance();
                        advance();
                    }
                    mode = c == U'"' ? (multi ? Mode::kMultiBasic : Mode::kBasic)
                                     : (multi ? Mode::kMultiLiteral : Mode::kLiteral);
                } else if ((c >= U'0' && c <= U'9') || c == U'+' || c == U'-') {
                    if (in_value()) mode = Mode::kNumber;
                } else if (c == U'=') {
                    after_equals = true;
                } else if (c == U'[') {
                    open += in_value() ? '[' : 'h';
                } else if (c == U'{') {
                    open += '{';
                    after_equals = false;
                } else if (c == U']' || c == U'}') {
                    if (!open.empty()) {
                        // An array or inline table was a value; a table header was a key.
                        after_equals = open.back() != 'h';
                        open.pop_back();
                    }
                } else if (c == U',') {
                    if (!open.empty() && open.back() == '{') after_equals = false;
                } else if (c >= 0x80) {
                    return outside_quotes(bytes, c);
                }
                break;
            case Mode::kComment:
                break;
            case Mode::kBasic:
            case Mode::kLiteral:
                if (c == U'\\' && mode == Mode::kBasic && i + 1 < text.size() &&
                    text[i + 1] != '\n') {
                    advance();  // toml++ reads the escaped character without classifying it
                    if (DecodeUtf8(text, i).second == 0) return std::nullopt;
                } else if (c == (mode == Mode::kBasic ? U'"' : U'\'')) {
                    mode = Mode::kToml;
                }
                break;
            case Mode::kMultiBasic:
                if (c == U'\\') {
                    advance();
                    if (i >= text.size()) return std::nullopt;
                    const auto [escaped, escaped_length] = DecodeUtf8(text, i);
                    if (escaped_length == 0) return std::nullopt;
                    if (TomlCannotClassify(escaped)) {
                        return unsafe("'\\" + std::string(text.substr(i, escaped_length)) +
                                      "' is not an escape sequence: write the character itself, "
                                      "or \\\\ for a backslash" +
                                      std::string(kNotToml));
                    }
                    if (!TomlHorizontalSpace(escaped) && escaped != U'\n' && escaped != U'\r') {
                        advance();  // an escape such as \n; toml++ checks it
                        continue;
                    }
                    // A line-ending backslash: toml++ skips spaces and line breaks, and asks of
                    // the first other character whether it is whitespace.
                    while (i < text.size()) {
                        const auto [next, next_length] = DecodeUtf8(text, i);
                        if (next_length == 0) return std::nullopt;
                        if (!TomlHorizontalSpace(next) && next != U'\n' && next != U'\r') {
                            if (TomlCannotClassify(next)) {
                                char escape[16];
                                std::snprintf(escape, sizeof escape, "\\u%04X",
                                              static_cast<unsigned>(next));
                                return unsafe(
                                    "the TOML library sockstep uses (toml++ 3.3) cannot read " +
                                    Describe(text.substr(i, next_length), next) +
                                    " as the first character after a line-ending backslash: "
                                    "write it as the escape " +
                                    escape + " instead");
                            }
                            break;
                        }
                        advance();
                    }
                    continue;
                }
                if (c == U'"' && close_multi('"')) continue;
                break;
            case Mode::kMultiLiteral:
                if (c == U'\'' && close_multi('\'')) continue;
                break;
        }
        // A line break ends comments and (wrongly) single-line strings. Outside arrays and
        // inline tables, the next line starts a new statement.
        if (c == U'\n' && mode != Mode::kMultiBasic && mode != Mode::kMultiLiteral) {
            mode = Mode::kToml;
            if (open.empty() || open.back() == 'h') {
                open.clear();  // a header left open is a TOML error on its own line
                after_equals = false;
                statement = i + 1;
            }
        }
        advance();
    }
    return std::nullopt;
}

}  // namespace sockstep::core::lesson_detail
