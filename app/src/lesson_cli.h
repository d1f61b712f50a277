// The lesson commands of the command line: listing the built-in lessons, checking lesson files
// for teachers, and validating the lesson the GUI is asked to open.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "sockstep/core/lang.h"

namespace sockstep::app {

// `sockstep --list-lessons`: "id  title" per built-in lesson, in teaching order.
int ListLessons(core::Lang lang, std::ostream& out, std::ostream& err);

// `sockstep check FILE...`: 0 when every file is a valid lesson, 1 otherwise; each error as
// file:line:column: error: message (on `err`), each valid file as "FILE: ok" (on `out`).
int CheckLessonFiles(const std::vector<std::string>& files, std::ostream& out, std::ostream& err);

// `sockstep --lesson ID|PATH`: 0 when the lesson can be opened; otherwise its errors on `err`
// and 2 (bad input), before any window opens.
int ValidateGuiLesson(const std::string& id_or_path, std::ostream& err);

}  // namespace sockstep::app
