// Every fixed UI string in English and Korean. Lesson texts come from the lesson files.
#pragma once

#include <string>

#include "sockstep/core/lang.h"

namespace sockstep::ui {

enum class Text {
    kClient,
    kServer,
    kWire,
    kNoSession,
    kCount  // keep last
};

const char* Tr(Text text, core::Lang lang);

// Every string of the table in `lang`, concatenated: the glyphs the font atlas must hold.
std::string AllUiText(core::Lang lang);

}  // namespace sockstep::ui
