// `sockstep check FILE...`: validates lesson files for teachers, the way a compiler reports
// errors (file:line:column: error: message), so editors can jump to them.
#include <ostream>
#include <string>

#include "cli.h"
#include "lesson_cli.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/terminal_text.h"

namespace sockstep::app {
namespace {

// A file name from the command line or a shell glob is printed escaped like the file's text.
constexpr size_t kMaxPathShown = 4096;

std::string Count(size_t n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

int CheckLessonFiles(const std::vector<std::string>& files, std::ostream& out, std::ostream& err) {
    int invalid = 0;
    for (const std::string& file : files) {
        const core::LessonResult result = core::LoadLesson(file);
        if (const auto* lesson = std::get_if<core::Lesson>(&result)) {
            size_t expects = 0;
            size_t questions = 0;
            for (const core::LessonStep& step : lesson->steps) {
                expects += step.expect ? 1 : 0;
                questions += step.question ? 1 : 0;
            }
            out << core::TerminalSafe(file, kMaxPathShown) << ": ok: lesson '" << lesson->id
                << "', " << Count(lesson->actors.size(), "actor") << ", "
                << Count(lesson->steps.size(), "step") << ", " << Count(expects, "expectation")
                << ", " << Count(questions, "question") << "\n";
            continue;
        }
        ++invalid;
        const auto& errors = std::get<std::vector<core::LessonError>>(result);
        for (const core::LessonError& e : errors) err << e.Format() << '\n';
    }
    if (invalid > 0) {
        err << invalid << " of " << files.size() << " lesson files are not valid\n";
        return kExitExpectFailed;
    }
    return kExitOk;
}

}  // namespace sockstep::app
