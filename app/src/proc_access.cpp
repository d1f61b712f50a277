// Keeping sockstep's own /proc/self/task/<tid>/syscall files readable (proc_access.h).
#include "proc_access.h"

#include <sys/prctl.h>

namespace sockstep::app {

void KeepTaskFilesReadable() {
    // prctl(2) PR_GET_DUMPABLE / PR_SET_DUMPABLE: EINVAL only (a bad argument). If it fails, the
    // session still sees blocked calls through `stat` and `wchan` (core/src/block_evidence.h).
    if (prctl(PR_GET_DUMPABLE) != 1) prctl(PR_SET_DUMPABLE, 1);
}

}  // namespace sockstep::app
