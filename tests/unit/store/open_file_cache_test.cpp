#include "pc/store/open_file_cache.hpp"

#include <gtest/gtest.h>

#include <vector>

using pc::store::OpenFileCache;

namespace {

struct FakeFiles final : OpenFileCache::Member {
    bool open = true;
    bool busy = false;
    int closes = 0;
    bool close_if_idle() override {
        if (busy) return false;
        open = false;
        ++closes;
        return true;
    }
};

}  // namespace

TEST(OpenFileCache, ClosesTheLeastRecentlyUsedBeyondCapacity) {
    OpenFileCache cache(3);
    std::vector<FakeFiles> m(5);
    for (int i = 0; i < 3; ++i) cache.use(m[i]);
    EXPECT_EQ(cache.open_count(), 3u);
    cache.use(m[0]);  // 0 is now the most recent: 1 is the least
    cache.use(m[3]);
    EXPECT_FALSE(m[1].open);
    EXPECT_TRUE(m[0].open && m[2].open && m[3].open);
    cache.use(m[4]);
    EXPECT_FALSE(m[2].open);
    EXPECT_EQ(cache.open_count(), 3u);
    EXPECT_EQ(cache.evictions(), 2u);
    // A member used again after being closed comes back (its owner reopened its files).
    m[1].open = true;
    cache.use(m[1]);
    EXPECT_FALSE(m[0].open);
    EXPECT_EQ(cache.open_count(), 3u);
}

TEST(OpenFileCache, MembersInUseAreNeverClosed) {
    OpenFileCache cache(2);
    std::vector<FakeFiles> m(4);
    m[0].busy = m[1].busy = true;
    cache.use(m[0]);
    cache.use(m[1]);
    cache.use(m[2]);  // over capacity, but 0 and 1 are busy: nothing closes
    EXPECT_TRUE(m[0].open && m[1].open && m[2].open);
    EXPECT_EQ(cache.open_count(), 3u);
    m[0].busy = false;
    cache.use(m[3]);  // the least recently used idle one goes, until two are left
    EXPECT_FALSE(m[0].open);
    EXPECT_TRUE(m[1].open);
    EXPECT_FALSE(m[2].open);
    EXPECT_TRUE(m[3].open);
    EXPECT_EQ(cache.open_count(), 2u);
}

TEST(OpenFileCache, ForgottenMembersAreNotTouchedAgain) {
    OpenFileCache cache(1);
    FakeFiles a, b;
    cache.use(a);
    cache.forget(a);  // a closed its own files (or was destroyed)
    cache.use(b);
    EXPECT_EQ(a.closes, 0);
    EXPECT_EQ(cache.open_count(), 1u);
    cache.forget(b);
    cache.forget(b);  // twice is harmless
    EXPECT_EQ(cache.open_count(), 0u);
}
