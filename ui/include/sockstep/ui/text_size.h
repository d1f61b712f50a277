// The text size sockstep picks when the user has chosen none: from the window's height (a
// 1920x1080 projector needs bigger letters than a 1280x720 window) or the monitor's content
// scale, whichever asks for more. Pure, so it is tested without a window.
#pragma once

namespace sockstep::ui {

// The window height the base size (1.0) is made for.
inline constexpr int kBaseTextHeight = 720;

// A text size for a window `height` pixels high on a monitor whose content scale is
// `content_scale` (1.0 on an ordinary screen): a step of kFontScaleStep, rounded down, within
// kMinFontScale..kMaxFontScale. 720 → 1.0, 1080 → 1.5, 1440 → 2.0, 2160 → 3.0.
float AutoFontScale(int height, float content_scale);

}  // namespace sockstep::ui
