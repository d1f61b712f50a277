// Look-ups in a kernel snapshot.
#include "sockstep/core/snapshot.h"

namespace sockstep::core {

std::string_view OwnerName(Owner owner) {
    switch (owner) {
        case Owner::kActor:
            return "actor";
        case Owner::kKernel:
            return "kernel";
        case Owner::kExternal:
            return "external";
    }
    return "actor";
}

Snapshot::Snapshot(std::initializer_list<SocketView> views) {
    m_views.reserve(views.size());
    for (const SocketView& v : views) m_views.push_back(std::make_shared<const SocketView>(v));
}

Snapshot::Snapshot(std::vector<SocketView> views) {
    m_views.reserve(views.size());
    for (SocketView& v : views) {
        m_views.push_back(std::make_shared<const SocketView>(std::move(v)));
    }
}

void Snapshot::push_back(SocketView view) {
    m_views.push_back(std::make_shared<const SocketView>(std::move(view)));
}

void Snapshot::ShareWith(const Snapshot& previous) {
    size_t j = 0;  // both are sorted by id in the session; walk them together
    for (auto& mine : m_views) {
        while (j < previous.m_views.size() && previous.m_views[j]->id < mine->id) ++j;
        if (j < previous.m_views.size() && previous.m_views[j] != mine &&
            *previous.m_views[j] == *mine) {
            mine = previous.m_views[j];
        }
    }
}

bool Snapshot::operator==(const Snapshot& other) const {
    if (size() != other.size()) return false;
    for (size_t i = 0; i < size(); ++i) {
        if (m_views[i] != other.m_views[i] && !(*m_views[i] == *other.m_views[i])) return false;
    }
    return true;
}

const SocketView* FindSocket(const Snapshot& snapshot, int id) {
    for (const SocketView& s : snapshot) {
        if (s.id == id) return &s;
    }
    return nullptr;
}

const SocketView* FindSocketByName(const Snapshot& snapshot, std::string_view name) {
    for (const SocketView& s : snapshot) {
        if (!s.name.empty() && s.name == name) return &s;
    }
    return nullptr;
}

}  // namespace sockstep::core
