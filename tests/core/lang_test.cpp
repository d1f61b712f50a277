// Language choice from the locale variables.
#include "sockstep/core/lang.h"

#include <gtest/gtest.h>

namespace sockstep::core {
namespace {

TEST(Lang, KoreanLocaleGivesKorean) {
    EXPECT_EQ(LangFromLocale(nullptr, nullptr, "ko_KR.UTF-8"), Lang::kKo);
    EXPECT_EQ(LangFromLocale("ko_KR.UTF-8", nullptr, "en_US.UTF-8"), Lang::kKo);
}

TEST(Lang, FirstSetVariableWinsAsInSetlocale) {
    EXPECT_EQ(LangFromLocale("en_GB.UTF-8", nullptr, "ko_KR.UTF-8"), Lang::kEn);
    EXPECT_EQ(LangFromLocale("", "ko_KR", "en_US"), Lang::kKo);
    EXPECT_EQ(LangFromLocale(nullptr, nullptr, nullptr), Lang::kEn);
    EXPECT_EQ(LangFromLocale(nullptr, nullptr, "C.UTF-8"), Lang::kEn);
}

TEST(Lang, ParseAcceptsOnlyTheTwoCodes) {
    EXPECT_EQ(ParseLang("ko"), Lang::kKo);
    EXPECT_EQ(ParseLang("en"), Lang::kEn);
    EXPECT_FALSE(ParseLang("kr").has_value());
    EXPECT_EQ(LangCode(Lang::kKo), "ko");
}

}  // namespace
}  // namespace sockstep::core
