// `sockstep --list-lessons` and the check made before `sockstep --lesson` opens the window.
#include "lesson_cli.h"

#include <algorithm>
#include <ostream>

#include "cli.h"
#include "paths.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/terminal_text.h"

namespace sockstep::app {
namespace {

constexpr size_t kMaxTitleShown = 200;  // bytes of a title or a lesson name on one line

}  // namespace

int ListLessons(core::Lang lang, std::ostream& out, std::ostream& err) {
    const auto assets = AssetDir();
    if (!assets) {
        err << "sockstep: cannot find the lessons folder (looked beside the program and in the "
               "installed share/sockstep; SOCKSTEP_ASSETS may name it)\n";
        return kExitUsage;
    }
    std::vector<core::Lesson> lessons;
    int code = kExitOk;
    size_t width = 0;
    for (const auto& file : core::BuiltinLessonFiles(*assets)) {
        core::LessonResult result = core::LoadLesson(file);
        if (auto* lesson = std::get_if<core::Lesson>(&result)) {
            width = std::max(width, lesson->id.size());
            lessons.push_back(std::move(*lesson));
        } else {
            // A broken file in the lessons folder: say so, list the others.
            for (const auto& e : std::get<std::vector<core::LessonError>>(result)) {
                err << e.Format() << '\n';
            }
            code = kExitUsage;
        }
    }
    for (const core::Lesson& lesson : lessons) {
        // The title is a file's text: escaped and cut like every other on the terminal.
        out << lesson.id << std::string(width + 2 - lesson.id.size(), ' ')
            << core::TerminalSafe(lesson.title.Get(lang), kMaxTitleShown) << '\n';
    }
    return code;
}

int ValidateGuiLesson(const std::string& id_or_path, std::ostream& err) {
    const auto assets = AssetDir();
    const core::LessonResult result = core::FindLesson(id_or_path, assets.value_or(""));
    if (const auto* errors = std::get_if<std::vector<core::LessonError>>(&result)) {
        for (const core::LessonError& e : *errors) err << e.Format() << '\n';
        err << "sockstep: --lesson " << core::TerminalSafe(id_or_path, kMaxTitleShown)
            << ": the lesson is not valid\n";
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace sockstep::app
