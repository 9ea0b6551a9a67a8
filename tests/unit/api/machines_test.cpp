// GET /v1/machines body and the collection route of one machine.
#include "pc/api/machines.hpp"

#include <gtest/gtest.h>

using namespace pc::api;

TEST(MachinesBody, WireFormat) {
    EXPECT_EQ(encode_machines({}), "{\"machines\":[]}");
    EXPECT_EQ(encode_machines(
                  {{"vm01", 5, 1024, 1700000000, 1700000004, 1700000010}, {"db.2", 0, 0, 0, 0, 0}}),
              "{\"machines\":[{\"identifier\":\"vm01\",\"records\":5,\"bytes\":1024,"
              "\"first_timestamp\":1700000000,\"last_timestamp\":1700000004,"
              "\"last_seen\":1700000010},{\"identifier\":\"db.2\",\"records\":0,\"bytes\":0,"
              "\"first_timestamp\":0,\"last_timestamp\":0,\"last_seen\":0}]}");
}

TEST(MachinesBody, RoundTripKeepsOrder) {
    std::vector<MachineSummary> machines{{"z-last", UINT64_MAX, 1, -1, INT64_MAX, 3},
                                         {"a_first", 2, 3, 4, 5, 6}};
    auto d = decode_machines(encode_machines(machines));
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, machines);
    EXPECT_EQ(decode_machines(encode_machines({})), std::vector<MachineSummary>{});
}

TEST(MachinesBody, DecodeRejects) {
    for (const char* bad :
         {"", "[]", "{}", "{\"machines\":{}}", "{\"machines\":[{\"identifier\":\"a\"}]}",
          "{\"machines\":[{\"identifier\":1,\"records\":0,\"bytes\":0,\"first_timestamp\":0,"
          "\"last_timestamp\":0,\"last_seen\":0}]}",
          "{\"machines\":[1]}", "{\"machines\":["}) {
        EXPECT_FALSE(decode_machines(bad)) << bad;
    }
}

TEST(MachinesBody, CollectionPath) {
    EXPECT_EQ(machine_collection_path("vm01"), "/v1/machines/vm01/collection");
    EXPECT_EQ(machine_collection_path("a.b-c_d"), "/v1/machines/a.b-c_d/collection");
}
