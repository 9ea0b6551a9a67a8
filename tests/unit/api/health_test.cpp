// GET /health body: key order of the wire format and a strict decoder.
#include "pc/api/health.hpp"

#include <gtest/gtest.h>

using namespace pc::api;

namespace {

Health sample() {
    Health h;
    h.status = "ok";
    h.version = "1.2.3";
    h.uptime_seconds = 3600;
    h.requests = 10;
    h.rejected = 1;
    h.batches_stored = 7;
    h.duplicates = 2;
    h.records_stored = 700;
    h.bytes_stored = 123456;
    h.machines = 3;
    return h;
}

}  // namespace

TEST(HealthBody, WireFormat) {
    EXPECT_EQ(encode_health(sample()),
              "{\"status\":\"ok\",\"version\":\"1.2.3\",\"uptime_seconds\":3600,\"requests\":10,"
              "\"rejected\":1,\"batches_stored\":7,\"duplicates\":2,\"records_stored\":700,"
              "\"bytes_stored\":123456,\"machines\":3,\"store_failures\":0}");
}

TEST(HealthBody, DegradedCarriesItsReasonAndOlderAnswersStillDecode) {
    auto h = sample();
    h.status = "degraded";
    h.reason = "the database is read-only";
    h.store_failures = 4;
    const auto text = encode_health(h);
    EXPECT_TRUE(text.starts_with(
        "{\"status\":\"degraded\",\"reason\":\"the database is read-only\",\"version\""))
        << text;
    auto back = decode_health(text);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->reason, h.reason);
    EXPECT_EQ(back->store_failures, 4u);
    // An older pcd's answer: neither member.
    auto old = decode_health(
        "{\"status\":\"ok\",\"version\":\"1\",\"uptime_seconds\":1,\"requests\":1,"
        "\"rejected\":0,\"batches_stored\":0,\"duplicates\":0,\"records_stored\":0,"
        "\"bytes_stored\":0,\"machines\":0}");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->reason, "");
    EXPECT_EQ(old->store_failures, 0u);
}

TEST(HealthBody, RoundTrip) {
    Health h = sample();
    h.status = "degraded \"disk\"";
    h.bytes_stored = UINT64_MAX;
    auto d = decode_health(encode_health(h));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->status, h.status);
    EXPECT_EQ(d->version, h.version);
    EXPECT_EQ(d->uptime_seconds, h.uptime_seconds);
    EXPECT_EQ(d->requests, h.requests);
    EXPECT_EQ(d->rejected, h.rejected);
    EXPECT_EQ(d->batches_stored, h.batches_stored);
    EXPECT_EQ(d->duplicates, h.duplicates);
    EXPECT_EQ(d->records_stored, h.records_stored);
    EXPECT_EQ(d->bytes_stored, h.bytes_stored);
    EXPECT_EQ(d->machines, h.machines);
}

TEST(HealthBody, DecodeAcceptsAnyKeyOrderAndExtraKeys) {
    auto d = decode_health(
        "{\"machines\":1,\"bytes_stored\":2,\"records_stored\":3,\"duplicates\":4,"
        "\"batches_stored\":5,\"rejected\":6,\"requests\":7,\"uptime_seconds\":8,"
        "\"version\":\"v\",\"status\":\"ok\",\"future\":true}");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->machines, 1u);
    EXPECT_EQ(d->requests, 7u);
    EXPECT_EQ(d->uptime_seconds, 8);
    EXPECT_EQ(d->version, "v");
}

TEST(HealthBody, DecodeRejectsMissingOrMistypedMembers) {
    const std::string good = encode_health(sample());
    EXPECT_TRUE(decode_health(good));
    for (const char* key : {"\"status\"", "\"version\"", "\"uptime_seconds\"", "\"requests\"",
                            "\"rejected\"", "\"batches_stored\"", "\"duplicates\"",
                            "\"records_stored\"", "\"bytes_stored\"", "\"machines\""}) {
        std::string renamed = good;
        renamed.replace(renamed.find(key), 1, "\"x");  // the member is now missing
        EXPECT_FALSE(decode_health(renamed)) << key;
    }
    std::string text_count = good;
    text_count.replace(text_count.find("10"), 2, "\"10\"");
    EXPECT_FALSE(decode_health(text_count));
    EXPECT_FALSE(decode_health(""));
    EXPECT_FALSE(decode_health("[]"));
    EXPECT_FALSE(decode_health(good.substr(0, good.size() - 1)));
}
