// The UI string table, one row per Text, English then Korean.
#include "sockstep/ui/strings.h"

#include <array>

namespace sockstep::ui {
namespace {

struct Row {
    Text id;
    const char* en;
    const char* ko;
};

constexpr std::array kRows{
    Row{Text::kClient, "Client", "클라이언트"},
    Row{Text::kServer, "Server", "서버"},
    Row{Text::kWire, "Loopback (lo)", "루프백 (lo)"},
    Row{Text::kNoSession, "No lesson loaded.", "불러온 레슨이 없습니다."},
};
static_assert(kRows.size() == static_cast<size_t>(Text::kCount), "one row per Text");

}  // namespace

const char* Tr(Text text, core::Lang lang) {
    const Row& row = kRows[static_cast<size_t>(text)];
    return lang == core::Lang::kKo ? row.ko : row.en;
}

std::string AllUiText(core::Lang lang) {
    std::string all;
    for (const Row& row : kRows) all += lang == core::Lang::kKo ? row.ko : row.en;
    return all;
}

}  // namespace sockstep::ui
