#include "pc/trickle/server_list.hpp"

#include <gtest/gtest.h>

using pc::trickle::split_server_list;
using List = std::vector<std::string>;

TEST(ServerList, SplitsOnCommasAndTrimsSpaces) {
    EXPECT_EQ(split_server_list("http://a:1"), (List{"http://a:1"}));
    EXPECT_EQ(split_server_list("http://a:1,https://b:2"), (List{"http://a:1", "https://b:2"}));
    EXPECT_EQ(split_server_list(" http://a:1 ,\thttp://b:2 "), (List{"http://a:1", "http://b:2"}));
}

TEST(ServerList, KeepsEmptyElementsForTheCallerToName) {
    EXPECT_EQ(split_server_list(""), (List{""}));
    EXPECT_EQ(split_server_list("http://a:1,"), (List{"http://a:1", ""}));
    EXPECT_EQ(split_server_list(",,"), (List{"", "", ""}));
}
