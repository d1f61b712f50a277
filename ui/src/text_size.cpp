// AutoFontScale: the automatic text size (see text_size.h).
#include "sockstep/ui/text_size.h"

#include <algorithm>
#include <cmath>

#include "sockstep/model/intents.h"

namespace sockstep::ui {

float AutoFontScale(int height, float content_scale) {
    const float by_height = static_cast<float>(std::max(height, 0)) / kBaseTextHeight;
    // A NaN or negative scale from a confused window system counts as none.
    const float by_monitor = std::isfinite(content_scale) ? content_scale : 0.0f;
    const float wanted = std::max(by_height, by_monitor);
    // Rounded down to a step: the atlas is built at the same sizes the +/- keys step through.
    const float stepped = std::floor(wanted / kFontScaleStep + 1e-4f) * kFontScaleStep;
    return std::clamp(stepped, kMinFontScale, kMaxFontScale);
}

}  // namespace sockstep::ui
