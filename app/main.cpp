// sockstep's entry point: hand the command line to the app layer.
#include <iostream>

#include "cli.h"
#include "proc_access.h"

int main(int argc, char** argv) {
    sockstep::app::KeepTaskFilesReadable();
    return sockstep::app::Main(argc, argv, std::cout, std::cerr);
}
