// What `sockstep --version` says: the project's version (CMakeLists.txt) and the commit the
// binary was built from.
#pragma once

#include <string>

namespace sockstep::app {

// "sockstep 0.1.0 (commit 0123456789ab)"; "… with uncommitted changes)" when tracked files
// differed from that commit at build time; "(commit unknown: not built from a git checkout)".
std::string VersionText();

}  // namespace sockstep::app
