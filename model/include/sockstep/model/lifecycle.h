// The lifecycle graph of a socket, derived from core's transition table (not drawn by hand):
// nodes are the API states reachable from "no socket" by successful calls, edges the calls that
// move between them, ranked by their longest distance from the start. Pure: no ImGui.
#pragma once

#include <vector>

#include "sockstep/core/api_state.h"

namespace sockstep::ui {

struct LifecycleNode {
    core::ApiState state = core::ApiState::kNone;
    int rank = 0;                       // row in the diagram (0: no socket yet)
    int column = 0;                     // position within its rank
    std::vector<core::CallKind> loops;  // successful calls that keep this state (accept, send …)
};

struct LifecycleEdge {
    core::ApiState from = core::ApiState::kNone;
    core::ApiState to = core::ApiState::kNone;
    std::vector<core::CallKind> calls;
};

struct LifecycleGraph {
    std::vector<LifecycleNode> nodes;  // rank order
    std::vector<LifecycleEdge> edges;
    std::vector<core::CallKind> from_any;  // calls that work in any open state (close …)
    int ranks = 0;
    int columns = 1;  // the widest rank

    const LifecycleNode* Find(core::ApiState state) const;
};

LifecycleGraph BuildLifecycle(core::SockType type);

}  // namespace sockstep::ui
