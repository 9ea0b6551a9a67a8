// A damaged index against the real pcd (issue 19, item 5): pcd stopped cleanly, its index
// emptied, halved or with one byte flipped in the 12th-newest entry, pcd started again. The
// collection is the truth: every acknowledged record is still there and served, the index is
// rebuilt, the damaged one is kept under .damaged/, and the log says so.
#include <gtest/gtest.h>

#include <functional>

#include "fault_support.hpp"
#include "pc/io/frame.hpp"

namespace {

using namespace pc::fault;

std::size_t count_lines(const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// GET /v1/machines/<id>/collection (chunked), read to the end and de-chunked.
std::string fetch_collection(const Pcd& pcd, const std::string& id) {
    int fd = connect_local(pcd.port);
    if (fd < 0) return "<connect failed>";
    send_all(fd, http_request("GET", "/v1/machines/" + id + "/collection",
                              {{"apikey", pcd.admin_key}}, ""));
    const std::string raw = read_response(fd, 10s, false);
    ::close(fd);
    if (status_of(raw) != 200) return raw.substr(0, 300);
    std::string body;
    std::size_t pos = raw.find("\r\n\r\n") + 4;
    while (pos < raw.size()) {
        const std::size_t eol = raw.find("\r\n", pos);
        if (eol == std::string::npos) break;
        const std::size_t size = std::stoul(raw.substr(pos, eol - pos), nullptr, 16);
        if (size == 0) break;
        body += raw.substr(eol + 2, size);
        pos = eol + 2 + size + 2;
    }
    return body;
}

struct Damage {
    const char* name;
    std::function<std::string(const std::string&)> apply;
};

const std::vector<Damage>& damages() {
    static const std::vector<Damage> all = {
        {"emptied", [](const std::string&) { return std::string(); }},
        {"halved", [](const std::string& idx) { return idx.substr(0, idx.size() / 2); }},
        {"byte flipped in the 12th-newest entry",
         [](const std::string& idx) {
             std::vector<std::size_t> starts;
             pc::io::scan_frames(idx, [&](std::string_view, std::size_t offset) {
                 starts.push_back(offset);
                 return true;
             });
             // The first byte of its text (its offset field), after the frame's header.
             const std::size_t at = starts.at(starts.size() - 12) + pc::io::kFrameHeader;
             std::string out = idx;
             out[at] = static_cast<char>(out[at] ^ 1);
             return out;
         }},
    };
    return all;
}

class FaultPcdIndex : public ::testing::TestWithParam<int> {};

TEST_P(FaultPcdIndex, AcknowledgedDataSurvivesADamagedIndex) {
    const Damage& damage = damages()[static_cast<std::size_t>(GetParam())];
    Pcd pcd;
    ASSERT_TRUE(pcd.start()) << pcd.err_so_far();
    constexpr int kBatches = 100;
    for (int i = 0; i < kBatches; ++i) {
        ASSERT_TRUE(pcd.serves_ok("web-01", 1700000000 + i)) << pcd.err_so_far();
    }
    auto stopped = pcd.stop();
    ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
    const std::string stored = pc::test::read_file(pcd.file_for("web-01"));
    ASSERT_EQ(count_lines(stored), 4u * kBatches) << "4 records a tick";

    const auto idx = pcd.data_dir() / ".index" / "web-01.idx";
    const std::string damaged = damage.apply(pc::test::read_file(idx));
    pc::test::write_file(idx, damaged);
    ASSERT_TRUE(pcd.start()) << damage.name << ":\n" << pcd.err_so_far();

    EXPECT_EQ(pc::test::read_file(pcd.file_for("web-01")), stored)
        << damage.name << ": acknowledged records were cut";
    const std::string served = fetch_collection(pcd, "web-01");
    EXPECT_EQ(served, stored) << damage.name << ": not all served";
    const std::string log = pcd.err_so_far();
    EXPECT_NE(log.find("the index disagrees with the collection"), std::string::npos) << log;
    std::size_t kept = 0;
    for (const auto& e : fs::directory_iterator(pcd.data_dir() / ".damaged")) {
        kept += e.path().extension() == ".idx" && pc::test::read_file(e.path()) == damaged;
    }
    EXPECT_EQ(kept, 1u) << damage.name << ": the damaged index is not kept";
    // Appends go on after the repair.
    EXPECT_TRUE(pcd.serves_ok("web-01", 1700000000 + kBatches));
    EXPECT_EQ(count_lines(pc::test::read_file(pcd.file_for("web-01"))), 4u * (kBatches + 1));
}

INSTANTIATE_TEST_SUITE_P(Damages, FaultPcdIndex, ::testing::Values(0, 1, 2));

}  // namespace
