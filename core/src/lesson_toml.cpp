// Typed, positioned reading of toml++ tables for the lesson reader. Every message says where,
// what was found, and what to write instead, because the reader is a teacher, not a programmer.
#include "lesson_toml.h"

#include <algorithm>
#include <cctype>

namespace sockstep::core::lesson_detail {

void Diagnostics::Error(const toml::source_region& where, std::string message) {
    Error(static_cast<int>(where.begin.line), static_cast<int>(where.begin.column),
          std::move(message));
}

void Diagnostics::Error(int line, int column, std::string message) {
    m_errors.push_back(LessonError{m_file, line, column, std::move(message)});
}

std::vector<LessonError> Diagnostics::Take() {
    // Sorted by position so the teacher reads the file top to bottom.
    std::stable_sort(m_errors.begin(), m_errors.end(), [](const auto& a, const auto& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return std::move(m_errors);
}

int LineOf(const toml::source_region& where) {
    return static_cast<int>(where.begin.line);
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
        (k == "ko" ? text.ko : text.en) = s->get();
    }
    for (const auto& [code, language, value] :
         {std::tuple{"ko", "Korean", &text.ko}, std::tuple{"en", "English", &text.en}}) {
        if (!table->contains(code)) {
            diag.Error(table->source(), "'" + n + "' has no " + language + " text: add " + n + "." +
                                            code + " = \"…\"");
            ok = false;
        } else if (value->find_first_not_of(" \t\r\n") == std::string::npos &&
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

}  // namespace sockstep::core::lesson_detail
