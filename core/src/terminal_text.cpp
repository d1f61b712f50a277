// Escaping and cutting file and peer text before it reaches a terminal (terminal_text.h).
#include "sockstep/core/terminal_text.h"

#include <algorithm>
#include <cstdio>

namespace sockstep::core {
namespace {

constexpr size_t kMaxWordBytes = 64;
constexpr size_t kWordHeadBytes = 48;
constexpr size_t kWordTailBytes = 8;

}  // namespace

size_t Utf8At(std::string_view s, size_t i, char32_t& out) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = byte(0);
    if (c < 0x80) {
        out = c;
        return 1;
    }
    size_t length = 0;
    char32_t value = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
        value = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        value = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        value = c & 0x07;
    } else {
        return 0;
    }
    if (s.size() - i < length) return 0;
    for (size_t k = 1; k < length; ++k) {
        if ((byte(k) & 0xC0) != 0x80) return 0;
        value = (value << 6) | (byte(k) & 0x3F);
    }
    const char32_t smallest = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (value < smallest || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
    out = value;
    return length;
}

void AppendUtf8(std::string& out, char32_t c) {
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
    const auto put = [&](unsigned value) { out += static_cast<char>(value); };
    if (c < 0x80) {
        put(c);
    } else if (c < 0x800) {
        put(0xC0 | (c >> 6));
        put(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        put(0xE0 | (c >> 12));
        put(0x80 | ((c >> 6) & 0x3F));
        put(0x80 | (c & 0x3F));
    } else {
        put(0xF0 | (c >> 18));
        put(0x80 | ((c >> 12) & 0x3F));
        put(0x80 | ((c >> 6) & 0x3F));
        put(0x80 | (c & 0x3F));
    }
}

bool TerminalActsOn(char32_t c) {
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

namespace {

std::string Escape(char32_t c) {
    switch (c) {
        case U'\n':
            return "\\n";
        case U'\r':
            return "\\r";
        case U'\t':
            return "\\t";
        default:
            break;
    }
    char code[8];
    std::snprintf(code, sizeof code, "\\u%04x", static_cast<unsigned>(c));
    return code;
}

}  // namespace

std::string CutUtf8(std::string_view text, size_t limit) {
    if (text.size() <= limit) return std::string(text);
    size_t end = limit;
    // Back off to a character boundary so that the text stays valid UTF-8.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return std::string(text.substr(0, end));
}

std::string TerminalSafe(std::string_view text, size_t max_bytes, bool keep_newlines) {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        if (i >= max_bytes) return out + "…";
        char32_t c = 0;
        const size_t length = Utf8At(text, i, c);
        if (length == 0) {
            char code[8];
            std::snprintf(code, sizeof code, "\\x%02x",
                          static_cast<unsigned>(static_cast<unsigned char>(text[i])));
            out += code;
            ++i;
            continue;
        }
        if (TerminalActsOn(c) && !(keep_newlines && c == U'\n')) {
            out += Escape(c);
        } else {
            out.append(text.substr(i, length));
        }
        i += length;
    }
    return out;
}

std::string TerminalSafeMessage(std::string_view message, size_t max_bytes) {
    std::string shortened;
    size_t i = 0;
    while (i < message.size()) {
        const size_t end = std::min(message.find(' ', i), message.size());
        const std::string_view word = message.substr(i, end - i);
        if (word.size() > kMaxWordBytes) {
            // Keep the closing quote and what follows it, so the message still reads.
            size_t tail = word.size() - kWordTailBytes;
            while (tail < word.size() && (static_cast<unsigned char>(word[tail]) & 0xC0) == 0x80) {
                ++tail;
            }
            shortened += CutUtf8(word, kWordHeadBytes) + "…" + std::string(word.substr(tail));
        } else {
            shortened.append(word);
        }
        if (end < message.size()) shortened += ' ';
        i = end + 1;
    }
    return TerminalSafe(shortened, max_bytes);
}

}  // namespace sockstep::core
