// What `sockstep --version` says.
#include "version.h"

#include "build_commit.h"

namespace sockstep::app {

std::string VersionText() {
    const std::string commit = SOCKSTEP_COMMIT;
    std::string text = std::string("sockstep ") + SOCKSTEP_VERSION;
    if (commit.empty()) return text + " (commit unknown: not built from a git checkout)";
    text += " (commit " + commit;
    if (SOCKSTEP_COMMIT_DIRTY) text += " with uncommitted changes";
    return text + ")";
}

}  // namespace sockstep::app
