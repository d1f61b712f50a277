// Deriving the lifecycle graph from core::TransitionTable(): successful rows only, ranked by
// longest path from kNone, so socket → bind → listen reads top to bottom.
#include "sockstep/model/lifecycle.h"

#include <algorithm>
#include <map>

namespace sockstep::ui {
namespace {

using core::ApiState;
using core::TypeMatch;

bool Matches(TypeMatch match, core::SockType type) {
    return match == TypeMatch::kAny ||
           (match == TypeMatch::kStream) == (type == core::SockType::kStream);
}

// The table writes "any open state" as ApiState::kCount.
constexpr ApiState kAnyOpen = ApiState::kCount;

void AddCall(std::vector<core::CallKind>& calls, core::CallKind call) {
    if (std::find(calls.begin(), calls.end(), call) == calls.end()) calls.push_back(call);
}

}  // namespace

const LifecycleNode* LifecycleGraph::Find(ApiState state) const {
    for (const LifecycleNode& n : nodes) {
        if (n.state == state) return &n;
    }
    return nullptr;
}

LifecycleGraph BuildLifecycle(core::SockType type) {
    LifecycleGraph g;
    std::map<std::pair<ApiState, ApiState>, std::vector<core::CallKind>> edges;
    std::map<ApiState, std::vector<core::CallKind>> loops;
    bool any_to_closed = false;
    for (const core::Transition& row : core::TransitionTable()) {
        if (row.result != 0 || !Matches(row.type, type)) continue;
        if (row.from == kAnyOpen) {
            if (row.to == ApiState::kClosed) any_to_closed = true;
            AddCall(g.from_any, row.call);
            continue;
        }
        if (row.to == kAnyOpen || row.to == row.from) {
            AddCall(loops[row.from], row.call);
            continue;
        }
        AddCall(edges[{row.from, row.to}], row.call);
    }

    // Longest distance from kNone over the edges (the successful transitions form a DAG; the
    // iteration count bounds it anyway).
    std::map<ApiState, int> rank{{ApiState::kNone, 0}};
    for (size_t pass = 0; pass < static_cast<size_t>(ApiState::kCount); ++pass) {
        bool changed = false;
        for (const auto& [key, calls] : edges) {
            auto from = rank.find(key.first);
            if (from == rank.end()) continue;
            auto [to, inserted] = rank.try_emplace(key.second, from->second + 1);
            if (!inserted && to->second < from->second + 1) {
                to->second = from->second + 1;
                changed = true;
            }
            changed = changed || inserted;
        }
        if (!changed) break;
    }
    int max_rank = 0;
    for (const auto& [state, r] : rank) max_rank = std::max(max_rank, r);
    if (any_to_closed) {
        rank[ApiState::kClosed] = max_rank + 1;
        max_rank += 1;
    }
    g.ranks = max_rank + 1;

    std::vector<int> per_rank(static_cast<size_t>(g.ranks), 0);
    for (const auto& [state, r] : rank) {  // map order: enum order within a rank
        LifecycleNode n;
        n.state = state;
        n.rank = r;
        n.column = per_rank[static_cast<size_t>(r)]++;
        if (auto it = loops.find(state); it != loops.end()) n.loops = it->second;
        g.nodes.push_back(std::move(n));
    }
    std::sort(g.nodes.begin(), g.nodes.end(), [](const LifecycleNode& a, const LifecycleNode& b) {
        return a.rank != b.rank ? a.rank < b.rank : a.column < b.column;
    });
    for (int count : per_rank) g.columns = std::max(g.columns, count);
    for (auto& [key, calls] : edges) {
        if (rank.count(key.first) && rank.count(key.second)) {
            g.edges.push_back({key.first, key.second, calls});
        }
    }
    return g;
}

}  // namespace sockstep::ui
