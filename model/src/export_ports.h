// The ports of exported programs (C and Python alike): which sockets the lesson binds to port 0
// while another program needs their port, so that every program takes it on the command line.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "sockstep/core/lesson.h"
#include "sockstep/model/c_program.h"
#include "sockstep/model/export.h"

namespace sockstep::ui::detail {

struct PortPlan {
    std::vector<std::string> params;  // sockets whose port the programs take, in bind order
    ProgramAddresses addresses;
};

// Follows the steps: which socket got which address, and which kernel-picked ports another
// program (or a later step) needs to know. An error when a port only the kernel knows is needed.
std::variant<PortPlan, ExportError> PlanPorts(const core::Lesson& lesson);

std::string PortVar(const std::string& socket);          // "port_listener"
std::string PortPlaceholder(const std::string& socket);  // "LISTENER_PORT"

}  // namespace sockstep::ui::detail
