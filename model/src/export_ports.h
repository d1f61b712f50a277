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

// README.txt's parts that the C and Python exports share (export_readme.cpp).
std::string OrderLine(const core::Lesson& lesson, size_t index);  // "  3  client  connect()"
std::string PortExample(const PortPlan& plan);                    // " 5000 5001"
std::string ReadmeTitle(const core::Lesson& lesson, core::Lang lang);
std::string ReadmePortsAndOrder(const core::Lesson& lesson, const PortPlan& plan, core::Lang lang);
std::string ReadmeWithoutStepMode(core::Lang lang);

}  // namespace sockstep::ui::detail
