// sockstep's entry point: reserve the standard descriptors, hand the command line to the app
// layer, and report a standard output that could not be written.
#include <iostream>

#include "cli.h"
#include "proc_access.h"
#include "std_streams.h"

int main(int argc, char** argv) {
    // First thing: before any socket could be given number 0, 1 or 2.
    if (!sockstep::app::ReserveStandardDescriptors()) return sockstep::app::kExitUsage;
    sockstep::app::KeepTaskFilesReadable();
    sockstep::app::FdOutBuf buffer(1);
    std::ostream out(&buffer);
    const int code = sockstep::app::Main(argc, argv, out, std::cerr);
    return sockstep::app::FinishStandardOutput(out, buffer, code, std::cerr);
}
