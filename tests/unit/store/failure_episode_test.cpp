#include "pc/store/failure_episode.hpp"

#include <gtest/gtest.h>

namespace pc::store {
namespace {

TEST(FailureEpisode, OnlyTheFirstFailureOfAnEpisodeIsReported) {
    FailureEpisode e;
    EXPECT_FALSE(e.succeeded().has_value()) << "no episode yet";
    EXPECT_TRUE(e.failed());
    EXPECT_FALSE(e.failed());
    EXPECT_FALSE(e.failed());
    auto ended = e.succeeded();
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(*ended, 3u);
    EXPECT_FALSE(e.succeeded().has_value()) << "a success outside an episode ends nothing";
}

TEST(FailureEpisode, ASecondOutageIsANewEpisode) {
    FailureEpisode e;
    EXPECT_TRUE(e.failed());
    ASSERT_TRUE(e.succeeded().has_value());
    EXPECT_TRUE(e.failed());
}

}  // namespace
}  // namespace pc::store
