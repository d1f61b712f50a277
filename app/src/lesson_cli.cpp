// `sockstep --list-lessons` (every lesson folder's) and the check made before `sockstep --lesson`
// opens the window.
#include "lesson_cli.h"

#include <algorithm>
#include <ostream>

#include "cli.h"
#include "paths.h"
#include "sockstep/core/lesson.h"
#include "sockstep/core/lesson_catalog.h"
#include "sockstep/core/terminal_text.h"
#include "sockstep/model/strings.h"

namespace sockstep::app {
namespace {

constexpr size_t kMaxTitleShown = 200;  // bytes of a title or a lesson name on one line

}  // namespace

int ListLessons(core::Lang lang, const std::vector<std::string>& lesson_dirs, std::ostream& out,
                std::ostream& err) {
    const auto assets = AssetDir();
    int code = kExitOk;
    if (!assets) {
        err << "sockstep: cannot find the lessons folder (looked beside the program and in the "
               "installed share/sockstep; SOCKSTEP_ASSETS may name it)\n";
        code = kExitUsage;
    }
    const core::LessonCatalog catalog = core::ReadLessonCatalog(
        core::LessonFoldersFromEnvironment({lesson_dirs.begin(), lesson_dirs.end()}, assets));
    size_t width = 0;
    for (const core::CatalogEntry& e : catalog.entries) {
        if (e.lesson) width = std::max(width, e.lesson->id.size());
    }
    for (const core::CatalogEntry& e : catalog.entries) {
        if (!e.lesson) {
            // A broken file in a lessons folder: say why, list the others.
            for (const core::LessonError& error : e.errors) err << error.Format() << '\n';
            code = kExitUsage;
            continue;
        }
        const core::Lesson& lesson = *e.lesson;
        // Titles and paths are a file's or the environment's text: escaped and cut like every
        // other on the terminal.
        std::string from = core::LessonOriginName(e.folder.origin);
        if (e.folder.origin != core::LessonOrigin::kBuiltin) {
            from += " " + core::TerminalSafe(e.folder.dir.string(), kMaxTitleShown);
        }
        if (e.shadowed_by) {
            from += "; " + std::string(ui::Tr(ui::Text::kLessonShadowed, lang)) + ": " +
                    core::TerminalSafe(e.shadowed_by->string(), kMaxTitleShown);
        }
        out << lesson.id << std::string(width + 2 - lesson.id.size(), ' ')
            << core::TerminalSafe(lesson.title.Get(lang), kMaxTitleShown) << "  [" << from << "]\n";
    }
    return code;
}

int ValidateGuiLesson(const std::string& id_or_path, const std::vector<std::string>& lesson_dirs,
                      std::ostream& err) {
    const core::LessonResult result = core::FindLesson(id_or_path, LessonFolders(lesson_dirs));
    if (const auto* errors = std::get_if<std::vector<core::LessonError>>(&result)) {
        for (const core::LessonError& e : *errors) err << e.Format() << '\n';
        err << "sockstep: --lesson " << core::TerminalSafe(id_or_path, kMaxTitleShown)
            << ": the lesson is not valid\n";
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace sockstep::app
