// The two languages sockstep speaks, and how the default is chosen from the locale.
#pragma once

#include <optional>
#include <string_view>

namespace sockstep::core {

enum class Lang { kEn, kKo };

// Korean when the effective locale (LC_ALL, then LC_MESSAGES, then LANG, as setlocale(3) orders
// them) starts with "ko"; English otherwise. Arguments may be null (unset variables).
Lang LangFromLocale(const char* lc_all, const char* lc_messages, const char* lang);

// Reads the process environment and applies LangFromLocale.
Lang LangFromEnvironment();

std::optional<Lang> ParseLang(std::string_view text);  // "ko" or "en"
std::string_view LangCode(Lang lang);

}  // namespace sockstep::core
