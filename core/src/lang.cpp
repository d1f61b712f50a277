// Language selection from the POSIX locale variables.
#include "sockstep/core/lang.h"

#include <cstdlib>

namespace sockstep::core {

Lang LangFromLocale(const char* lc_all, const char* lc_messages, const char* lang) {
    // The first non-empty variable wins, as in setlocale(3).
    for (const char* value : {lc_all, lc_messages, lang}) {
        if (value == nullptr || *value == '\0') continue;
        std::string_view v(value);
        return v.substr(0, 2) == "ko" ? Lang::kKo : Lang::kEn;
    }
    return Lang::kEn;
}

Lang LangFromEnvironment() {
    return LangFromLocale(std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"), std::getenv("LANG"));
}

std::optional<Lang> ParseLang(std::string_view text) {
    if (text == "ko") return Lang::kKo;
    if (text == "en") return Lang::kEn;
    return std::nullopt;
}

std::string_view LangCode(Lang lang) {
    return lang == Lang::kKo ? "ko" : "en";
}

}  // namespace sockstep::core
