// Look-ups in a kernel snapshot.
#include "sockstep/core/snapshot.h"

namespace sockstep::core {

std::string_view OwnerName(Owner owner) {
    switch (owner) {
        case Owner::kActor: return "actor";
        case Owner::kKernel: return "kernel";
        case Owner::kExternal: return "external";
    }
    return "actor";
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
