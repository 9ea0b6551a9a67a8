#include "pc/spool/spool.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "pc/api/trickle.hpp"
#include "pc/core/error.hpp"
#include "pc/io/frame.hpp"
#include "pc/record/codec.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using pc::record::Record;
using pc::record::Tick;
using pc::spool::Spool;

namespace {

// A tick whose text needs escaping, so the spool's round trip is really exercised.
pc::record::Tick make_tick(int i, std::size_t extra = 0) {
    return {pc::record::Record{
                1700000000 + i, "/proc/stat",
                "cpu  " + std::to_string(i) + " 2 3\n\"q\" <&>\t" + std::string(extra, 'x')},
            pc::record::Record{1700000000 + i, "statfs[*]", "{\"mount\":\"/\"}"}};
}

std::vector<pc::record::Record> flatten(const std::vector<pc::record::Tick>& ticks) {
    std::vector<pc::record::Record> out;
    for (const auto& t : ticks) out.insert(out.end(), t.begin(), t.end());
    return out;
}

// The batch's lines decoded again (the spool itself never decodes them).
std::vector<pc::record::Record> records_of(const pc::spool::SpoolBatch& batch) {
    std::vector<pc::record::Record> out;
    std::string_view rest = batch.jsonl;
    while (!rest.empty()) {
        const auto newline = rest.find('\n');
        EXPECT_NE(newline, std::string_view::npos) << "every line ends in a newline";
        auto decoded = pc::record::decode_record(rest.substr(0, newline));
        EXPECT_TRUE(decoded.record) << rest.substr(0, newline);
        if (decoded.record) out.push_back(*decoded.record);
        rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
    }
    return out;
}

std::vector<fs::path> files_with(const fs::path& dir, const std::string& suffix) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().ends_with(suffix)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST(SpoolEntry, RoundTripAndCorruptionDetected) {
    const std::string payload = "{\"timestamp\":1}\n";
    const auto entry = pc::spool::encode_spool_entry(payload);
    EXPECT_EQ(entry, pc::io::encode_frame(payload)) << "the shared frame format";
    EXPECT_EQ(pc::spool::decode_spool_entry(entry).value_or(""), payload);
    std::string why;
    EXPECT_FALSE(pc::spool::decode_spool_entry(entry.substr(0, entry.size() - 3), &why));
    EXPECT_EQ(why.rfind("torn tail: ", 0), 0u) << why;
    auto flipped = entry;
    flipped[14] = 'X';
    EXPECT_FALSE(pc::spool::decode_spool_entry(flipped, &why));
    EXPECT_NE(why.find("checksum"), std::string::npos) << why;
    EXPECT_FALSE(pc::spool::decode_spool_entry("", &why));
    EXPECT_FALSE(pc::spool::decode_spool_entry(entry + "x", &why));
    EXPECT_EQ(why.rfind("corrupt: ", 0), 0u) << why;
    EXPECT_FALSE(pc::spool::decode_spool_entry(entry + entry, &why));
    EXPECT_EQ(why.rfind("corrupt: bytes after the frame", 0), 0u) << why;
}

namespace {

// Entries of pcc versions before the shared frame format, as they wrote them.
std::string legacy_entry(std::string_view payload) {
    char header[64];
    const int n = std::snprintf(header, sizeof header, "PCSPOOL1 %zu %08x\n", payload.size(),
                                pc::io::crc32_of(payload));
    return std::string(header, static_cast<std::size_t>(n)) + std::string(payload);
}

}  // namespace

TEST(SpoolEntry, EntriesOfOlderVersionsAreRead) {
    const std::string payload = "{\"timestamp\":1}\n{\"timestamp\":1}\n";
    const std::string old = legacy_entry(payload);
    EXPECT_EQ(pc::spool::decode_spool_entry(old).value_or(""), payload);
    std::string why;
    EXPECT_FALSE(pc::spool::decode_spool_entry(old.substr(0, old.size() - 1), &why));
    EXPECT_EQ(why, "torn tail: shorter than its header says");
    EXPECT_FALSE(pc::spool::decode_spool_entry(old.substr(0, 12), &why));
    EXPECT_EQ(why, "torn tail: an unfinished header");
    auto flipped = old;
    flipped.back() = 'X';
    EXPECT_FALSE(pc::spool::decode_spool_entry(flipped, &why));
    EXPECT_EQ(why, "corrupt: the checksum does not match");
    EXPECT_FALSE(pc::spool::decode_spool_entry(old + "x", &why));
    EXPECT_EQ(why, "corrupt: bytes after the payload");
    EXPECT_FALSE(pc::spool::decode_spool_entry("PCSPOOL1 x 0\n", &why));
    EXPECT_EQ(why, "corrupt: a bad header");
}

// A spool left by an older pcc is delivered after the upgrade, oldest first, with new ticks
// after it.
TEST(Spool, ASpoolOfAnOlderVersionIsDelivered) {
    pc::test::TempDir dir;
    const auto spool_dir = dir / "spool";
    std::filesystem::create_directories(spool_dir);
    pc::test::write_file(spool_dir / "00000000000000000001.tick",
                         legacy_entry("{\"timestamp\":1700000001}\n"));
    pc::test::write_file(spool_dir / "00000000000000000002.tick",
                         legacy_entry("{\"timestamp\":1700000002}\n"));
    Spool spool({spool_dir, 1u << 20, nullptr});
    EXPECT_EQ(spool.tick_count(), 2u);
    EXPECT_EQ(spool.recovery().discarded, 0u);
    spool.append({pc::record::Record{1700000003, "/proc/stat", "cpu 1\n"}});
    auto batch = spool.next_batch(10);
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->ticks, 3u);
    EXPECT_EQ(batch->jsonl.find("{\"timestamp\":1700000001}\n{\"timestamp\":1700000002}\n"), 0u)
        << batch->jsonl;
    EXPECT_NE(batch->jsonl.find("1700000003"), std::string::npos);
}

TEST(Spool, FifoBatchesAndAcknowledge) {
    pc::test::TempDir dir;
    Spool spool({dir / "spool", 1u << 20, nullptr});
    std::vector<pc::record::Tick> ticks;
    for (int i = 0; i < 5; ++i) {
        ticks.push_back(make_tick(i));
        spool.append(ticks.back());
    }
    EXPECT_EQ(spool.tick_count(), 5u);
    auto first = spool.next_batch(3);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->ticks, 3u);
    EXPECT_EQ(records_of(*first), flatten({ticks[0], ticks[1], ticks[2]}));
    // Until acknowledged, the same batch comes back, even with a different size asked.
    auto again = spool.next_batch(10);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->batch_id, first->batch_id);
    EXPECT_EQ(records_of(*again), records_of(*first));
    spool.acknowledge(*first);
    EXPECT_EQ(spool.tick_count(), 2u);
    auto second = spool.next_batch(10);
    ASSERT_TRUE(second);
    EXPECT_NE(second->batch_id, first->batch_id);
    EXPECT_EQ(records_of(*second), flatten({ticks[3], ticks[4]}));
    spool.acknowledge(*second);
    EXPECT_EQ(spool.tick_count(), 0u);
    EXPECT_EQ(spool.byte_size(), 0u);
    EXPECT_FALSE(spool.next_batch(10));
    EXPECT_TRUE(files_with(dir / "spool", ".tick").empty());
    EXPECT_TRUE(files_with(dir / "spool", ".batch").empty());
}

TEST(Spool, SurvivesReopenWithSameBatchId) {
    pc::test::TempDir dir;
    std::string id;
    std::vector<pc::record::Record> records;
    {
        Spool spool({dir / "s", 1u << 20, nullptr});
        for (int i = 0; i < 4; ++i) spool.append(make_tick(i));
        auto batch = spool.next_batch(2);  // sent, response lost, then pcc stopped
        ASSERT_TRUE(batch);
        id = batch->batch_id;
        records = records_of(*batch);
    }
    Spool reopened({dir / "s", 1u << 20, nullptr});
    EXPECT_EQ(reopened.recovery().ticks, 4u);
    EXPECT_EQ(reopened.tick_count(), 4u);
    reopened.append(make_tick(99));
    auto batch = reopened.next_batch(10);
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->batch_id, id) << "a resend after restart must carry the same batch_id";
    EXPECT_EQ(records_of(*batch), records);
    reopened.acknowledge(*batch);
    auto rest = reopened.next_batch(10);
    ASSERT_TRUE(rest);
    EXPECT_EQ(rest->ticks, 3u);
    EXPECT_EQ(records_of(*rest), flatten({make_tick(2), make_tick(3), make_tick(99)}));
}

TEST(Spool, BatchIdsUniqueAcrossRuns) {
    pc::test::TempDir dir;
    std::set<std::string> ids;
    for (int run = 0; run < 3; ++run) {
        Spool spool({dir / "s", 1u << 20, nullptr});
        for (int i = 0; i < 3; ++i) spool.append(make_tick(i));
        while (auto b = spool.next_batch(1)) {
            EXPECT_TRUE(ids.insert(b->batch_id).second) << b->batch_id;
            spool.acknowledge(*b);
        }
    }
    EXPECT_EQ(ids.size(), 9u);
}

TEST(Spool, TornLastEntryDiscardedWithWarning) {
    pc::test::TempDir dir;
    {
        Spool spool({dir / "s", 1u << 20, nullptr});
        for (int i = 0; i < 3; ++i) spool.append(make_tick(i));
    }
    // Simulate a crash in the middle of writing the newest entry, and a leftover temp file.
    const auto ticks = files_with(dir / "s", ".tick");
    ASSERT_EQ(ticks.size(), 3u);
    const std::string content = pc::test::read_file(ticks.back());
    pc::test::write_file(ticks.back(), content.substr(0, content.size() / 2));
    pc::test::write_file(dir / "s" / "00000000000000000004.tick.tmp.123", "partial");

    Spool spool({dir / "s", 1u << 20, nullptr});
    EXPECT_EQ(spool.recovery().discarded, 1u);
    EXPECT_EQ(spool.tick_count(), 2u);
    EXPECT_FALSE(fs::exists(dir / "s" / "00000000000000000004.tick.tmp.123"));
    auto batch = spool.next_batch(10);
    ASSERT_TRUE(batch);
    EXPECT_EQ(records_of(*batch), flatten({make_tick(0), make_tick(1)}));
    // New ticks continue after the discarded one.
    spool.acknowledge(*batch);
    spool.append(make_tick(5));
    auto next = spool.next_batch(10);
    ASSERT_TRUE(next);
    EXPECT_EQ(records_of(*next), flatten({make_tick(5)}));
}

TEST(Spool, CapDropsOldestFirst) {
    pc::test::TempDir dir;
    const auto one = pc::spool::encode_spool_entry([] {
                         std::string s;
                         pc::record::encode_tick(make_tick(0, 1000), s);
                         return s;
                     }())
                         .size();
    Spool spool({dir / "s", one * 3 + one / 2, nullptr});  // room for three ticks
    for (int i = 0; i < 6; ++i) spool.append(make_tick(i, 1000));
    EXPECT_EQ(spool.tick_count(), 3u);
    EXPECT_EQ(spool.dropped_ticks(), 3u);
    EXPECT_LE(spool.byte_size(), one * 3 + one / 2);
    auto batch = spool.next_batch(10);
    ASSERT_TRUE(batch);
    EXPECT_EQ(records_of(*batch),
              flatten({make_tick(3, 1000), make_tick(4, 1000), make_tick(5, 1000)}));
}

TEST(Spool, CapDropsASealedBatchWhole) {
    pc::test::TempDir dir;
    Spool probe({dir / "p", 1u << 20, nullptr});
    probe.append(make_tick(0, 1000));
    const auto one = probe.byte_size();
    Spool spool({dir / "s", one * 4, nullptr});
    for (int i = 0; i < 3; ++i) spool.append(make_tick(i, 1000));
    auto sealed = spool.next_batch(2);  // ticks 0 and 1 in flight
    ASSERT_TRUE(sealed);
    spool.append(make_tick(3, 1000));
    spool.append(make_tick(4, 1000));  // over the cap: the sealed batch goes as a whole
    EXPECT_EQ(spool.dropped_ticks(), 2u);
    EXPECT_TRUE(files_with(dir / "s", ".batch").empty());
    spool.acknowledge(*sealed);  // a late 200 for dropped ticks is harmless
    auto batch = spool.next_batch(10);
    ASSERT_TRUE(batch);
    EXPECT_NE(batch->batch_id, sealed->batch_id);
    EXPECT_EQ(records_of(*batch),
              flatten({make_tick(2, 1000), make_tick(3, 1000), make_tick(4, 1000)}));
}

TEST(Spool, NewestTickKeptEvenWhenLargerThanCap) {
    pc::test::TempDir dir;
    Spool spool({dir / "s", 10, nullptr});
    spool.append(make_tick(0));
    spool.append(make_tick(1));
    EXPECT_EQ(spool.tick_count(), 1u);
    auto batch = spool.next_batch(10);
    ASSERT_TRUE(batch);
    EXPECT_EQ(records_of(*batch), flatten({make_tick(1)}));
}

TEST(Spool, UnsealAllowsSmallerBatchWithNewId) {
    pc::test::TempDir dir;
    Spool spool({dir / "s", 1u << 20, nullptr});
    for (int i = 0; i < 4; ++i) spool.append(make_tick(i));
    auto big = spool.next_batch(4);
    ASSERT_TRUE(big);
    spool.unseal(*big);
    auto small = spool.next_batch(2);
    ASSERT_TRUE(small);
    EXPECT_EQ(small->ticks, 2u);
    EXPECT_NE(small->batch_id, big->batch_id);
}

TEST(Spool, QuarantineMovesBatchAside) {
    pc::test::TempDir dir;
    Spool spool({dir / "s", 1u << 20, nullptr});
    spool.append(make_tick(0));
    spool.append(make_tick(1));
    auto bad = spool.next_batch(1);
    ASSERT_TRUE(bad);
    const auto where = spool.quarantine(*bad, "HTTP 400: bad identifier");
    EXPECT_EQ(spool.tick_count(), 1u);
    std::string expected;
    pc::record::encode_tick(make_tick(0), expected);
    EXPECT_EQ(pc::test::read_file(where), expected) << "rejected ticks stay replayable JSONL";
    auto error_file = where;
    error_file.replace_extension(".error");
    EXPECT_NE(pc::test::read_file(error_file).find("bad identifier"), std::string::npos);
    auto next = spool.next_batch(5);
    ASSERT_TRUE(next);
    EXPECT_EQ(records_of(*next), flatten({make_tick(1)}));
}

TEST(Spool, SecondOpenOfSameDirectoryRefused) {
    pc::test::TempDir dir;
    Spool first({dir / "s", 1u << 20, nullptr});
    try {
        Spool second({dir / "s", 1u << 20, nullptr});
        FAIL() << "two spools on one directory";
    } catch (const pc::core::UserError& e) {
        EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
    }
}

TEST(Spool, UnwritableDirectoryIsAUserError) {
    pc::test::TempDir dir;
    pc::test::write_file(dir / "file", "x");
    EXPECT_THROW(Spool({dir / "file" / "spool", 1u << 20, nullptr}), pc::core::UserError);
}

TEST(Spool, FilesArePrivate) {
    pc::test::TempDir dir;
    Spool spool({dir / "s", 1u << 20, nullptr});
    spool.append(make_tick(0));
    const auto tick = files_with(dir / "s", ".tick").at(0);
    const auto perms = fs::status(tick).permissions();
    EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
    EXPECT_EQ(fs::status(dir / "s").permissions() & fs::perms::others_all, fs::perms::none);
}

// The body joined from spooled lines is byte-identical to the api's encoder fed the decoded
// records (identifier and batch_id included), for escaped and non-ASCII text and empty ticks.
TEST(Spool, RequestBodyIsTheApiWireFormat) {
    pc::test::TempDir dir;
    Spool spool({dir / "spool", 1u << 20, nullptr});
    spool.append(make_tick(0));
    spool.append(pc::record::Tick{});  // a tick whose every source failed
    spool.append(pc::record::Tick{
        pc::record::Record{1700000009, "/proc/net/dev", "caf\xc3\xa9 \xe2\x80\xa8 \\ </x>"}});
    spool.append(make_tick(1, 100));
    auto batch = spool.next_batch(10);
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->ticks, 4u);
    const auto records = records_of(*batch);
    ASSERT_EQ(records.size(), 5u);
    EXPECT_EQ(batch->request_body("host-1.example"),
              pc::api::encode_trickle_request({"host-1.example", records, batch->batch_id}));
    // And the server's decoder reads it back as the same request.
    const auto decoded = pc::api::decode_trickle_request(batch->request_body("h"));
    ASSERT_TRUE(decoded.request) << decoded.error;
    EXPECT_EQ(decoded.request->measurements, records);
    EXPECT_EQ(decoded.request->batch_id, batch->batch_id);

    spool.acknowledge(*batch);
    // Invalid UTF-8 was spooled as \ufffd; the joined body keeps that escape where decoding and
    // re-encoding would write U+FFFD literally: the same JSON string, so pcd stores the same.
    spool.append(
        pc::record::Tick{pc::record::Record{1700000010, "/proc/net/dev", "bad \xff byte"}});
    auto invalid = spool.next_batch(10);
    ASSERT_TRUE(invalid);
    const auto from_spool = pc::api::decode_trickle_request(invalid->request_body("h"));
    const auto from_api = pc::api::decode_trickle_request(
        pc::api::encode_trickle_request({"h", records_of(*invalid), invalid->batch_id}));
    ASSERT_TRUE(from_spool.request && from_api.request);
    EXPECT_EQ(from_spool.request->measurements, from_api.request->measurements);
    EXPECT_EQ(from_spool.request->measurements.at(0).measurement, "bad \xef\xbf\xbd byte");
    spool.acknowledge(*invalid);

    spool.append(pc::record::Tick{});
    auto empty = spool.next_batch(10);
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty->request_body("h"),
              pc::api::encode_trickle_request({"h", {}, empty->batch_id}));
}
