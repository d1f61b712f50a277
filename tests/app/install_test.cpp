// cmake --install puts the binary, lessons, icon and .desktop file under the prefix, and the
// installed binary finds its lessons there (not in the build tree).
#include <gtest/gtest.h>

#include <filesystem>

#include "run_process.h"

namespace sockstep::testing {
namespace {
namespace fs = std::filesystem;

TEST(Install, PutsEverythingUnderThePrefixAndTheBinaryFindsItsLessons) {
    const fs::path prefix = fs::path(SOCKSTEP_TEST_OUTPUT_DIR) / "install-test";
    fs::remove_all(prefix);
    const auto install =
        RunProcess({"cmake", "--install", SOCKSTEP_TEST_OUTPUT_DIR, "--prefix", prefix.string()});
    ASSERT_EQ(install.exit_code, 0) << install.err;
    EXPECT_TRUE(fs::exists(prefix / "bin/sockstep"));
    EXPECT_TRUE(fs::exists(prefix / "share/applications/sockstep.desktop"));
    EXPECT_TRUE(fs::exists(prefix / "share/icons/hicolor/scalable/apps/sockstep.svg"));
    EXPECT_TRUE(fs::exists(prefix / "share/sockstep/lessons/01-handshake.toml"));
    EXPECT_TRUE(fs::exists(prefix / "share/man/man1/sockstep.1"));

    // Copy the binary's view of the world: no SOCKSTEP_ASSETS, run from somewhere else.
    const auto list =
        RunProcess({(prefix / "bin/sockstep").string(), "--list-lessons", "--lang", "en"},
                   {"SOCKSTEP_ASSETS"});
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("handshake"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("ipv6"), std::string::npos) << list.out;
    fs::remove_all(prefix);
}

}  // namespace
}  // namespace sockstep::testing
