// sockstep's entry point: hand the command line to the app layer.
#include <iostream>

#include "cli.h"

int main(int argc, char** argv) {
    return sockstep::app::Main(argc, argv, std::cout, std::cerr);
}
