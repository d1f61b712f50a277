// core::ReadUserFile / CheckOutputPath / WriteUserFile on real files of every kind: a FIFO is
// read without blocking (no writer ever comes; ctest's timeout is the hang guard), every kind
// that is not a regular file is named, the real errno is said (ELOOP, ENOTDIR), no descriptor
// is ever left open, nothing but a regular file is ever replaced, and a failed write leaves the
// old file and no temporary file.
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "sockstep/core/user_file.h"

namespace sockstep::core {
namespace {

namespace fs = std::filesystem;

size_t OpenDescriptors() {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/fd")) ++n;
    return n;
}

std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class UserFile : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("sockstep-user-file-" + std::to_string(getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        m_fds = OpenDescriptors();
    }
    void TearDown() override {
        EXPECT_EQ(OpenDescriptors(), m_fds) << "a descriptor was left open";
        fs::remove_all(m_dir);
    }
    std::set<std::string> Entries() const {
        std::set<std::string> out;
        for (const auto& e : fs::directory_iterator(m_dir)) out.insert(e.path().filename());
        return out;
    }
    fs::path m_dir;
    size_t m_fds = 0;
};

TEST_F(UserFile, ReadsARegularFileWhole) {
    const fs::path file = m_dir / "lesson.toml";
    std::ofstream(file) << "id = \"x\"\n";
    std::string content;
    EXPECT_EQ(ReadUserFile(file, 1 << 20, content), std::nullopt);
    EXPECT_EQ(content, "id = \"x\"\n");
    const auto big = ReadUserFile(file, 4, content);
    ASSERT_TRUE(big.has_value());
    EXPECT_EQ(*big, "it has 9 bytes; at most 4 bytes are allowed");
    EXPECT_EQ(content, "");
}

TEST_F(UserFile, RefusesEveryOtherKindWithoutBlockingAndSaysTheRealErrno) {
    const fs::path fifo = m_dir / "fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    const fs::path loop = m_dir / "loop";
    fs::create_symlink(loop, loop);
    const fs::path file = m_dir / "file";
    std::ofstream(file) << "x";
    const std::pair<fs::path, std::string> cases[] = {
        {fifo, "it is a FIFO (named pipe), not a regular file"},
        {"/dev/null", "it is a character device, not a regular file"},
        {m_dir, "it is a directory, not a regular file"},
        {loop, "too many levels of symbolic links (ELOOP)"},
        {file / "x", "not a directory (ENOTDIR)"},
        {m_dir / "none", "it does not exist"},
    };
    for (const auto& [path, said] : cases) {
        std::string content = "old";
        const auto problem = ReadUserFile(path, 1 << 20, content);
        ASSERT_TRUE(problem.has_value()) << path;
        EXPECT_EQ(*problem, said) << path;
        EXPECT_EQ(content, "");
    }
}

TEST_F(UserFile, NeverReplacesAnythingButARegularFile) {
    const fs::path kept = m_dir / "kept";
    std::ofstream(kept) << "mine";
    const fs::path link = m_dir / "link";
    fs::create_symlink(kept, link);
    const fs::path fifo = m_dir / "fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    fs::create_directory(m_dir / "dir");
    const std::pair<fs::path, std::string> cases[] = {
        {link, "is a symbolic link"},
        {fifo, "is a FIFO (named pipe)"},
        {m_dir / "dir", "is a directory"},
        {"/dev/full", "is a character device"},
    };
    for (const auto& [path, kind] : cases) {
        for (const bool replace : {false, true}) {
            const std::string said = "'" + path.string() + "' " + kind +
                                     "; sockstep writes only regular files and never replaces "
                                     "anything else";
            EXPECT_EQ(CheckOutputPath(path, replace).value_or(""), said);
            EXPECT_EQ(WriteUserFile(path, "new", replace).value_or(""), said);
        }
    }
    EXPECT_TRUE(fs::is_symlink(link));
    EXPECT_EQ(Read(kept), "mine");
    EXPECT_TRUE(fs::is_fifo(fifo));
    struct stat st {};
    ASSERT_EQ(stat("/dev/full", &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
    EXPECT_EQ(Entries(), (std::set<std::string>{"kept", "link", "fifo", "dir"}));
}

TEST_F(UserFile, ReplacesARegularFileOnlyWhenAskedAndAtomically) {
    const fs::path file = m_dir / "out.svg";
    EXPECT_EQ(CheckOutputPath(file, false), std::nullopt);
    EXPECT_EQ(WriteUserFile(file, "first", false), std::nullopt);
    EXPECT_EQ(Read(file), "first");
    EXPECT_EQ(WriteUserFile(file, "second", false).value_or(""),
              "'" + file.string() + "' already exists; use --force to replace it");
    EXPECT_EQ(Read(file), "first");
    EXPECT_EQ(WriteUserFile(file, "second", true), std::nullopt);
    EXPECT_EQ(Read(file), "second");
    EXPECT_EQ(Entries(), std::set<std::string>{"out.svg"});
    const fs::path missing = m_dir / "missing" / "x";
    EXPECT_EQ(CheckOutputPath(missing, true).value_or(""),
              "cannot write '" + missing.string() + "': the directory '" +
                  (m_dir / "missing").string() + "' does not exist");
    EXPECT_EQ(CheckOutputPath(file / "x", true).value_or(""),
              "cannot write '" + (file / "x").string() + "': not a directory (ENOTDIR)");
}

// A write that fails half-way (past RLIMIT_FSIZE, as a full disk would with ENOSPC) leaves the
// old file as it was and no temporary file. In a child: the limit is per process.
TEST_F(UserFile, AFailedWriteLeavesTheOldFileAndNoTemporary) {
    const fs::path file = m_dir / "settings.json";
    std::ofstream(file) << "old";
    const pid_t pid = fork();
    if (pid == 0) {
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{10, 10};
        setrlimit(RLIMIT_FSIZE, &limit);
        const auto error = WriteUserFile(file, std::string(1000, 'x'), true);
        const std::string want = "cannot write '" + file.string() + "': file too large (EFBIG)";
        _exit(error && *error == want ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "the write error was not reported as EFBIG";
    EXPECT_EQ(Read(file), "old");
    EXPECT_EQ(Entries(), std::set<std::string>{"settings.json"});
}

}  // namespace
}  // namespace sockstep::core
