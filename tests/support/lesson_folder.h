// Test helper: a folder of this test's own under the temporary directory, removed at the end,
// and lesson files written into it from the built-in handshake with another id and title (the
// lesson folder tests of core and app, issue #16).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sockstep::testing {

class TestFolder {
  public:
    // <tmp>/sockstep-<what>-<pid>-<test name>, empty.
    explicit TestFolder(const std::string& what) {
        m_path = std::filesystem::temp_directory_path() /
                 ("sockstep-" + what + "-" + std::to_string(getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_path);
        std::filesystem::create_directories(m_path);
    }
    ~TestFolder() { std::filesystem::remove_all(m_path); }
    TestFolder(const TestFolder&) = delete;
    TestFolder& operator=(const TestFolder&) = delete;

    const std::filesystem::path& Path() const { return m_path; }
    // A folder under it, made.
    std::filesystem::path Dir(const std::string& name) const {
        std::filesystem::create_directories(m_path / name);
        return m_path / name;
    }

  private:
    std::filesystem::path m_path;
};

// The built-in handshake (of the source tree's assets) with the id `id` and the English title
// `title`, written to `file`.
inline void WriteHandshakeAs(const std::filesystem::path& file, const std::string& id,
                             const std::string& title) {
    std::ifstream in(std::filesystem::path(SOCKSTEP_SOURCE_DIR) /
                     "assets/lessons/01-handshake.toml");
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const std::string old_id = "id = \"handshake\"";
    s.replace(s.find(old_id), old_id.size(), "id = \"" + id + "\"");
    const std::string en = "title.en = \"";
    const size_t at = s.find(en) + en.size();
    s.replace(at, s.find('"', at) - at, title);
    std::ofstream(file) << s;
}

}  // namespace sockstep::testing
