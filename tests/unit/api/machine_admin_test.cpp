// The answers of POST /v1/machines/<id>/trim and /delete, and their paths.
#include "pc/api/machine_admin.hpp"

#include <gtest/gtest.h>

using namespace pc::api;

TEST(MachineAdmin, TrimAnswerRoundTripsInWireOrder) {
    TrimResponse r{"web-01", 1767800050, 10, 30, 2190, 30, 2190};
    const std::string body = encode_trim_response(r);
    EXPECT_EQ(body,
              "{\"identifier\":\"web-01\",\"before\":1767800050,\"removed_batches\":10,"
              "\"removed_records\":30,\"removed_bytes\":2190,\"records\":30,\"bytes\":2190}");
    EXPECT_EQ(decode_trim_response(body), r);
    EXPECT_FALSE(decode_trim_response("{\"identifier\":\"x\"}"));
    EXPECT_FALSE(decode_trim_response("not json"));
}

TEST(MachineAdmin, DeleteAnswerRoundTrips) {
    DeleteResponse r{"web-01", 9, 657};
    const std::string body = encode_delete_response(r);
    EXPECT_EQ(body, "{\"identifier\":\"web-01\",\"deleted\":true,\"records\":9,\"bytes\":657}");
    EXPECT_EQ(decode_delete_response(body), r);
    EXPECT_FALSE(decode_delete_response(
        "{\"identifier\":\"web-01\",\"deleted\":false,\"records\":9,\"bytes\":657}"));
    EXPECT_FALSE(decode_delete_response("[]"));
}

TEST(MachineAdmin, Paths) {
    EXPECT_EQ(machine_trim_path("web-01"), "/v1/machines/web-01/trim");
    EXPECT_EQ(machine_delete_path("web-01"), "/v1/machines/web-01/delete");
}
