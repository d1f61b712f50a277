// The lesson commands of the command line: listing the built-in lessons, checking lesson files
// for teachers, and validating the lesson the GUI is asked to open.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "sockstep/core/lang.h"

namespace sockstep::app {

// `sockstep --list-lessons`: "id  title  [where from]" per lesson of every lesson folder
// (core::ReadLessonCatalog's order: the built-in ones in teaching order first); a broken file's
// errors on `err`, and then 2.
int ListLessons(core::Lang lang, const std::vector<std::string>& lesson_dirs, std::ostream& out,
                std::ostream& err);

// `sockstep check FILE...`: 0 when every file is a valid lesson, 1 otherwise; each error as
// file:line:column: error: message (on `err`), each valid file as "FILE: ok" (on `out`).
int CheckLessonFiles(const std::vector<std::string>& files, std::ostream& out, std::ostream& err);

// `sockstep --lesson ID|PATH`: 0 when the lesson can be opened; otherwise its errors on `err`
// and 2 (bad input), before any window opens.
int ValidateGuiLesson(const std::string& id_or_path, const std::vector<std::string>& lesson_dirs,
                      std::ostream& err);

}  // namespace sockstep::app
