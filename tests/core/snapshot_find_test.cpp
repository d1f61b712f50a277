// FindSocket: a binary search over the session's id-sorted snapshots, and still every id of a
// snapshot in any order (a log read from a file need not be sorted).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sockstep/core/snapshot.h"

namespace sockstep::core {
namespace {

Snapshot WithIds(const std::vector<int>& ids) {
    Snapshot s;
    for (const int id : ids) {
        SocketView v;
        v.id = id;
        v.name = "s" + std::to_string(id);
        s.push_back(v);
    }
    return s;
}

TEST(SnapshotFind, SortedFindsEveryIdAndNoOther) {
    std::vector<int> ids;
    for (int id = 1; id <= 2001; id += 2) ids.push_back(id);
    const Snapshot s = WithIds(ids);
    for (const int id : ids) {
        const SocketView* v = FindSocket(s, id);
        ASSERT_NE(v, nullptr) << id;
        EXPECT_EQ(v->name, "s" + std::to_string(id));
    }
    EXPECT_EQ(FindSocket(s, 0), nullptr);
    EXPECT_EQ(FindSocket(s, 2), nullptr);
    EXPECT_EQ(FindSocket(s, 2003), nullptr);
    EXPECT_EQ(FindSocket(Snapshot{}, 1), nullptr);
}

TEST(SnapshotFind, UnsortedStillFindsEveryId) {
    const std::vector<int> ids = {9, 3, 7, 1, 12, 5, 4, 30, 2};
    const Snapshot s = WithIds(ids);
    for (const int id : ids) {
        const SocketView* v = FindSocket(s, id);
        ASSERT_NE(v, nullptr) << id;
        EXPECT_EQ(v->name, "s" + std::to_string(id));
    }
    EXPECT_EQ(FindSocket(s, 6), nullptr);
}

}  // namespace
}  // namespace sockstep::core
