// The automatic text size: from the window height, or the monitor's content scale if that asks
// for more; a step of the +/- keys, rounded down, within the sizes the atlas is built at.
#include <gtest/gtest.h>

#include <limits>

#include "sockstep/model/intents.h"
#include "sockstep/ui/text_size.h"

namespace sockstep::testing {
namespace {

using ui::AutoFontScale;

TEST(AutoFontScale, FollowsTheWindowHeight) {
    EXPECT_FLOAT_EQ(AutoFontScale(720, 1.0f), 1.0f);
    EXPECT_FLOAT_EQ(AutoFontScale(768, 1.0f), 1.0f);
    EXPECT_FLOAT_EQ(AutoFontScale(900, 1.0f), 1.25f);
    EXPECT_FLOAT_EQ(AutoFontScale(1080, 1.0f), 1.5f);
    EXPECT_FLOAT_EQ(AutoFontScale(1200, 1.0f), 1.5f);
    EXPECT_FLOAT_EQ(AutoFontScale(1440, 1.0f), 2.0f);
    EXPECT_FLOAT_EQ(AutoFontScale(2160, 1.0f), 3.0f);
}

TEST(AutoFontScale, StaysWithinTheSizesTheKeysStepThrough) {
    EXPECT_FLOAT_EQ(AutoFontScale(240, 1.0f), ui::kMinFontScale);
    EXPECT_FLOAT_EQ(AutoFontScale(0, 1.0f), ui::kMinFontScale);
    EXPECT_FLOAT_EQ(AutoFontScale(-5, 1.0f), ui::kMinFontScale);
    EXPECT_FLOAT_EQ(AutoFontScale(4320, 1.0f), ui::kMaxFontScale);
    for (int h = 240; h <= 4320; h += 7) {
        const float s = AutoFontScale(h, 1.0f);
        EXPECT_FLOAT_EQ(s / ui::kFontScaleStep,
                        static_cast<float>(static_cast<int>(s / ui::kFontScaleStep + 0.5f)))
            << h;
    }
}

TEST(AutoFontScale, AHighDensityMonitorAsksForMore) {
    EXPECT_FLOAT_EQ(AutoFontScale(720, 2.0f), 2.0f);
    EXPECT_FLOAT_EQ(AutoFontScale(1080, 1.25f), 1.5f);  // the height asks for more here
    EXPECT_FLOAT_EQ(AutoFontScale(720, 1.6f), 1.5f);    // rounded down to a step
    EXPECT_FLOAT_EQ(AutoFontScale(720, std::numeric_limits<float>::quiet_NaN()), 1.0f);
    EXPECT_FLOAT_EQ(AutoFontScale(720, -3.0f), 1.0f);
}

}  // namespace
}  // namespace sockstep::testing
