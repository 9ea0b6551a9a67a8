// Removing stored data from a running pcd: pcctl machines trim and delete (admin routes), and
// PCD_RETENTION's periodic trim, with agents' batches arriving meanwhile.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "pcctl_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using pc::test::kAdminKey;
using pc::test::kMachineKey;
using pc::test::pcctl;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Server {
    pc::test::PcdProcess pcd;
    pc::test::TempDir dir;

    explicit Server(std::map<std::string, std::string> env = {})
        : pcd(pc::test::PcdProcess::WithEnv{}, std::move(env)) {}

    std::map<std::string, std::string> admin_env() const {
        return {{"PCC_SERVER_URL", pcd.url()}, {"PCCTL_ADMINKEY", kAdminKey}};
    }
    // Stores `text` as machine `id`, one batch per tick, as an agent would send it.
    void store(const std::string& id, const std::string& text, const std::string& name) {
        auto file = dir / (name + ".json");
        pc::test::write_file(file, text);
        auto r = pcctl({"replay", file.string(), "--identifier", id, "--batch-ticks", "1"},
                       {{"PCC_SERVER_URL", pcd.url()}, {"PCC_APIKEY", kMachineKey}});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    std::map<std::string, nlohmann::json> machines() const {
        auto r = pcctl({"machines", "--json"}, admin_env());
        EXPECT_EQ(r.exit_code, 0) << r.err;
        std::map<std::string, nlohmann::json> out;
        const auto answer = nlohmann::json::parse(r.out);  // kept alive for the loop
        for (const auto& m : answer["machines"]) {
            out[m["identifier"].get<std::string>()] = m;
        }
        return out;
    }
    std::string fetch(const std::string& id) const {
        auto r = pcctl({"fetch", id}, admin_env());
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    }
};

// The lines of `text` from the first one whose timestamp is at least `from`.
std::string lines_from(const std::string& text, std::int64_t from) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        auto r = pc::record::decode_record(std::string_view(text).substr(pos, nl - pos));
        if (r.record && r.record->timestamp >= from) return text.substr(pos);
        pos = nl + 1;
    }
    return "";
}

TEST(PcdTrim, TrimKeepsTheNewerDataAndItsIndexThroughARestart) {
    Server s;
    ASSERT_FALSE(s.pcd.url().empty()) << s.pcd.err();
    const std::string original = pc::test::synthetic_collection(20, 1767800000);  // 5 s apart
    s.store("vm-trim", original, "first");

    auto r = pcctl({"machines", "trim", "vm-trim", "--before", "1767800050"}, s.admin_env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("removed 30 records"), std::string::npos) << r.out;  // 10 ticks
    EXPECT_NE(r.out.find("30 records"), std::string::npos) << r.out;
    EXPECT_EQ(s.fetch("vm-trim"), lines_from(original, 1767800050));

    r = pcctl({"machines", "trim", "vm-trim", "--before", "2026-01-07T15:35:00Z", "--json"},
              s.admin_env());  // 1767800100: everything
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["removed_records"], 30);
    EXPECT_EQ(j["records"], 0);
    EXPECT_EQ(j["bytes"], 0);

    // The agent goes on; a restart finds index and collection in agreement (nothing cut).
    const std::string later = pc::test::synthetic_collection(4, 1767900000);
    s.store("vm-trim", later, "later");
    s.pcd.stop();
    s.pcd.start();
    EXPECT_EQ(s.fetch("vm-trim"), later);
    EXPECT_EQ(s.machines()["vm-trim"]["records"], 12);
    EXPECT_EQ(s.pcd.err().find("vm-trim: cut"), std::string::npos) << s.pcd.err();
    EXPECT_EQ(s.pcd.err().find("vm-trim: dropped"), std::string::npos) << s.pcd.err();
}

TEST(PcdTrim, DeleteRemovesTheMachineAndItsFiles) {
    Server s;
    s.store("vm-gone", pc::test::synthetic_collection(3), "gone");
    s.store("vm-kept", pc::test::synthetic_collection(3), "kept");
    auto r = pcctl({"machines", "delete", "vm-gone"}, s.admin_env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("deleted vm-gone (9 records"), std::string::npos) << r.out;
    auto machines = s.machines();
    EXPECT_EQ(machines.count("vm-gone"), 0u);
    EXPECT_EQ(machines.count("vm-kept"), 1u);
    EXPECT_FALSE(std::filesystem::exists(s.pcd.home() / "data/vm-gone.json"));
    EXPECT_FALSE(std::filesystem::exists(s.pcd.home() / "data/.index/vm-gone.idx"));
    r = pcctl({"fetch", "vm-gone"}, s.admin_env());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("404"), std::string::npos) << r.err;

    r = pcctl({"machines", "delete", "vm-gone"}, s.admin_env());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no collection for machine"), std::string::npos) << r.err;
    // Admin only: a machine key is refused, and nothing changes.
    r = pcctl({"machines", "delete", "vm-kept", "--adminkey", kMachineKey},
              {{"PCC_SERVER_URL", s.pcd.url()}});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("403"), std::string::npos) << r.err;
    r = pcctl({"machines", "trim", "vm-kept", "--before", "1h"}, {{"PCC_SERVER_URL", s.pcd.url()}});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("admin key"), std::string::npos) << r.err;
    EXPECT_EQ(s.machines()["vm-kept"]["records"], 9);
}

TEST(PcdRetention, OldDataIsTrimmedWhilePcdRuns) {
    Server s({{"PCD_RETENTION", "30d"}, {"PCD_RETENTION_INTERVAL", "1s"}});
    ASSERT_FALSE(s.pcd.url().empty()) << s.pcd.err();
    EXPECT_NE(s.pcd.err().find("retention=2592000s"), std::string::npos) << s.pcd.err();
    const std::int64_t now = unix_now();
    const std::string old_part = pc::test::synthetic_collection(6, now - 40 * 86400);
    const std::string recent = pc::test::synthetic_collection(5, now - 600);
    s.store("vm-mixed", old_part + recent, "mixed");
    s.store("vm-old", old_part, "old");
    s.store("vm-new", recent, "new");

    const auto deadline = std::chrono::steady_clock::now() + 30s;
    std::map<std::string, nlohmann::json> m;
    do {
        m = s.machines();
        if (m["vm-mixed"]["records"] == 15 && m["vm-old"]["records"] == 0) break;
        std::this_thread::sleep_for(100ms);  // polling pcd's answer, not ordering by time
    } while (std::chrono::steady_clock::now() < deadline);
    EXPECT_EQ(m["vm-mixed"]["records"], 15) << s.pcd.err();
    EXPECT_EQ(m["vm-old"]["records"], 0);
    EXPECT_EQ(m["vm-new"]["records"], 15);
    EXPECT_EQ(s.fetch("vm-mixed"), recent);
    EXPECT_EQ(s.fetch("vm-new"), recent);
    EXPECT_NE(s.pcd.err().find("retention: removed"), std::string::npos) << s.pcd.err();
}

TEST(PcdRetention, BadSettingIsAUsageError) {
    pc::test::TempDir home;
    auto r = pc::test::run({(pc::test::bin_dir() / "pcd").string(), "--retention", "30 days"},
                           {{"PCD_HOME", home.path().string()}}, 10s);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("PCD_RETENTION"), std::string::npos) << r.err;
}

}  // namespace
