// 1,000 reset cycles: the handshake lesson run to its end (accept() blocks and is woken by the
// client, as in class), then Reset(), again and again on one Session. After a warm-up of 50
// cycles nothing may grow: the descriptor and thread counts stay exactly equal, the heap in use
// stays within a small tolerance, and so does the resident memory (VmRSS).
//
// Why two memory figures: VmRSS is what the issue asks for, but it is coarse (pages, and freed
// memory glibc keeps in its arenas), so its tolerance is loose; the live heap (mallinfo2, or
// ASan's own count of allocated bytes) is the sharp check: 1,000 cycles turn a leak of a few
// hundred bytes a cycle into a visible step. Under AddressSanitizer, freed blocks sit in the
// allocator's quarantine (256 MB by default) before they are reused, so RSS grows with every
// cycle although nothing leaks; there the RSS bound is only a sanity bound, and
// __sanitizer_get_current_allocated_bytes() (which excludes the quarantine) does the real check.
// LeakSanitizer then also checks for unreachable memory at exit. ThreadSanitizer builds use the
// same count (its allocator is not glibc's either) and the same loose RSS bound (shadow memory).
#include <malloc.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "session_helpers.h"
#include "sockstep/core/lesson.h"

// Sanitizer builds (scripts/sanitize): their allocator replaces glibc's, so mallinfo2() says
// nothing there; the sanitizer runtime's own count is used instead. Declared here rather than
// through <sanitizer/allocator_interface.h>, which Debian's GCC does not ship.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SOCKSTEP_SANITIZED 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SOCKSTEP_SANITIZED 1
#endif
#endif
#ifdef SOCKSTEP_SANITIZED
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace sockstep::core::sessiontest {
namespace {

constexpr int kCycles = 1000;
constexpr int kWarmUp = 50;
#ifdef SOCKSTEP_SANITIZED
// A sanity bound only: ASan's quarantine alone keeps up to 256 MB of freed memory by default
// (quarantine_size_mb), plus its shadow and redzones; seen in CI: +321 MB over 950 cycles with
// the allocated-bytes count flat. The sharp check there is the allocated-bytes count.
constexpr long kRssToleranceKb = 640 * 1024;
#else
constexpr long kRssToleranceKb = 4 * 1024;
#endif
// 950 cycles after the warm-up: a leak of ~70 bytes a cycle exceeds this. Measured at -Og:
// +2.8 KB over cycles 50-525, +0.2 KB over 525-1000 (the log's and snapshot's vectors settling).
constexpr long kHeapToleranceBytes = 64 * 1024;

long VmRssKb() {
    std::ifstream in("/proc/self/status");
    std::string key;
    long value = -1;
    while (in >> key) {
        if (key == "VmRSS:") {
            in >> value;
            return value;
        }
        in.ignore(4096, '\n');
    }
    return -1;
}

long HeapInUseBytes() {
#ifdef SOCKSTEP_SANITIZED
    return static_cast<long>(__sanitizer_get_current_allocated_bytes());
#else
    const struct mallinfo2 m = mallinfo2();  // every arena, the workers' too
    return static_cast<long>(m.uordblks + m.hblkhd);
#endif
}

struct Sample {
    int fds = -1;
    int threads = -1;
    long rss_kb = -1;
    long heap = -1;
};

Sample Measure() {
    // A joined thread's /proc entry can linger for a moment; none are joined here, but the
    // count is read after the workers have settled into their wait.
    return Sample{CountOpenFds(), CountThreads(), VmRssKb(), HeapInUseBytes()};
}

TEST(ResetCycles, ThousandLessonRunsLeaveNothingBehind) {
    const LessonResult loaded =
        FindLesson("handshake", std::filesystem::path(SOCKSTEP_SOURCE_DIR) / "assets");
    ASSERT_TRUE(std::holds_alternative<Lesson>(loaded));
    const Lesson& lesson = std::get<Lesson>(loaded);
    const std::vector<ScriptStep> script = ToScript(lesson);

    StartSanitizerThreads();
    const int fds_before = CountOpenFds();
    const int threads_before = CountThreads();
    Sample warm;
    Sample mid;
    {
        Session session;
        AddActors(session, lesson);
        // What the empty session holds by itself: one worker per actor (and a packet capture
        // thread and socket when it can capture). Every Reset() must come back to exactly this.
        const int fds_empty = CountOpenFds();
        const int threads_empty = CountThreads();
        for (int cycle = 1; cycle <= kCycles; ++cycle) {
            session.SetScript(script);
            const StepOutcome outcome = session.RunToEnd();
            ASSERT_EQ(outcome, StepOutcome::kNoMoreSteps) << "cycle " << cycle;
            // Every step returned: the last one is the client's connect(), accept() is back.
            ASSERT_EQ(session.NextStepIndex(), script.size()) << "cycle " << cycle;
            for (const ActorStatus& a : session.Actors()) {
                ASSERT_EQ(a.activity, ActorActivity::kIdle) << "cycle " << cycle << " " << a.name;
            }
            session.Reset();
            if (cycle == kWarmUp) warm = Measure();
            if (cycle == (kWarmUp + kCycles) / 2) mid = Measure();
        }
        const Sample end = Measure();
        std::cout << "[ measured ] after " << kWarmUp << " / " << (kWarmUp + kCycles) / 2 << " / "
                  << kCycles << " cycles: fds " << warm.fds << " / " << mid.fds << " / " << end.fds
                  << ", threads " << warm.threads << " / " << mid.threads << " / " << end.threads
                  << ", VmRSS " << warm.rss_kb << " / " << mid.rss_kb << " / " << end.rss_kb
                  << " kB, heap in use " << warm.heap << " / " << mid.heap << " / " << end.heap
                  << " bytes\n";
        EXPECT_EQ(end.fds, warm.fds);
        EXPECT_EQ(mid.fds, warm.fds);
        EXPECT_EQ(end.fds, fds_empty) << "Reset() closes every descriptor the session opened";
        EXPECT_EQ(end.threads, warm.threads);
        EXPECT_EQ(end.threads, threads_empty) << "Reset() starts no thread and loses none";
        EXPECT_LE(end.rss_kb - warm.rss_kb, kRssToleranceKb) << "resident memory grew";
        EXPECT_LE(end.heap - warm.heap, kHeapToleranceBytes) << "the heap in use grew";
        // A slow leak grows in both halves; noise does not.
        EXPECT_LE(end.heap - mid.heap, kHeapToleranceBytes / 2);
    }
    EXPECT_EQ(CountOpenFds(), fds_before);
    EXPECT_TRUE(WaitUntil([&] { return CountThreads() == threads_before; }, 2s));
}

}  // namespace
}  // namespace sockstep::core::sessiontest
