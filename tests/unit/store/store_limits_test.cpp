// Store under its two bounds (issue 19, item 4): files open at once, and machines stored.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "pc/store/file_store.hpp"
#include "test_support.hpp"

using pc::store::AppendOutcome;
using pc::store::FileStore;
using pc::store::StoreOptions;
using Status = AppendOutcome::Status;

namespace {

StoreOptions limited(const std::filesystem::path& dir, std::size_t open_files,
                     std::size_t machines = 10000) {
    StoreOptions o{dir / "data", 64};
    o.max_open_files = open_files;
    o.max_machines = machines;
    return o;
}

std::vector<pc::record::Record> tick(std::int64_t ts) {
    return {{ts, "/proc/stat", "cpu  1 2 3\n"}};
}

// Descriptors this process holds on collections and indexes under `dir`.
std::size_t open_machine_files(const std::filesystem::path& dir) {
    std::size_t n = 0;
    const std::string prefix = std::filesystem::canonical(dir).string();
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        auto target = std::filesystem::read_symlink(e.path(), ec).string();
        if (ec || !target.starts_with(prefix)) continue;
        if (target.ends_with(".json") || target.ends_with(".idx")) ++n;
    }
    return n;
}

std::string id(int i) {
    return "host-" + std::to_string(i);
}

}  // namespace

TEST(StoreLimits, OpenFilesStayWithinTheBoundWhateverTheMachineCount) {
    pc::test::TempDir dir;
    constexpr int kMachines = 60;
    {
        FileStore store(limited(dir.path(), 8));  // four machines' files
        for (int round = 0; round < 3; ++round) {
            for (int i = 0; i < kMachines; ++i) {
                ASSERT_EQ(
                    store.append(id(i), tick(1'700'000'000 + round), "r" + std::to_string(round))
                        .status,
                    Status::stored);
                EXPECT_LE(open_machine_files(dir.path()), 8u);
            }
        }
        EXPECT_EQ(store.open_machine_count(), 4u);
        EXPECT_GT(store.file_cache_evictions(), 100u);
        // A resend to a machine whose files were closed is still recognised.
        EXPECT_EQ(store.append(id(0), tick(1'700'000'000), "r0").status, Status::duplicate);
        auto machines = store.machines();
        ASSERT_EQ(machines.size(), static_cast<std::size_t>(kMachines));
        for (const auto& m : machines) EXPECT_EQ(m.records, 3u) << m.identifier;
        EXPECT_LE(open_machine_files(dir.path()), 8u);
    }
    // Restarted: listing opens nothing; the background pass and every later use stay bounded.
    FileStore store(limited(dir.path(), 6));
    EXPECT_EQ(store.machine_count(), static_cast<std::size_t>(kMachines));
    store.wait_until_recovered();
    EXPECT_LE(open_machine_files(dir.path()), 6u);
    EXPECT_EQ(store.append(id(59), tick(1'700'000'000 + 2), "r2").status, Status::duplicate);
    EXPECT_EQ(store.append(id(30), tick(1'700'000'009), "r9").status, Status::stored);
    for (const auto& m : store.machines()) {
        EXPECT_EQ(m.records, m.identifier == id(30) ? 4u : 3u) << m.identifier;
    }
    EXPECT_LE(open_machine_files(dir.path()), 6u);
    EXPECT_EQ(pc::test::read_file(dir.path() / "data" / "host-30.json").find("1700000009"),
              pc::test::read_file(dir.path() / "data" / "host-30.json").rfind("1700000009"));
}

TEST(StoreLimits, StartupOpensNoMachineFiles) {
    pc::test::TempDir dir;
    {
        FileStore store(limited(dir.path(), 64));
        for (int i = 0; i < 20; ++i)
            ASSERT_EQ(store.append(id(i), tick(1), {}).status, Status::stored);
    }
    // With an open-file bound of 2, recovery of all 20 still succeeds one machine at a time.
    FileStore store(limited(dir.path(), 2));
    store.wait_until_recovered();
    EXPECT_LE(open_machine_files(dir.path()), 2u);
    EXPECT_EQ(store.machines().size(), 20u);
}

TEST(StoreLimits, NewIdentifiersBeyondTheMachineLimitAreRefused) {
    pc::test::TempDir dir;
    {
        FileStore store(limited(dir.path(), 64, 3));
        for (int i = 0; i < 3; ++i)
            ASSERT_EQ(store.append(id(i), tick(1), {}).status, Status::stored);
        auto refused = store.append("newcomer", tick(1), {});
        EXPECT_EQ(refused.status, Status::too_many_machines);
        EXPECT_NE(refused.error.find("PCD_MAX_MACHINES"), std::string::npos) << refused.error;
        EXPECT_NE(refused.error.find("newcomer"), std::string::npos) << refused.error;
        EXPECT_FALSE(std::filesystem::exists(dir.path() / "data" / "newcomer.json"));
        EXPECT_EQ(store.append(id(1), tick(2), {}).status, Status::stored) << "known ones go on";
        ASSERT_TRUE(store.remove(id(0)));
        EXPECT_EQ(store.append("newcomer", tick(1), {}).status, Status::stored);
    }
    // Stored machines beyond a lowered limit are all kept and served.
    FileStore store(limited(dir.path(), 64, 1));
    EXPECT_EQ(store.machines().size(), 3u);
    EXPECT_EQ(store.append(id(2), tick(3), {}).status, Status::stored);
    EXPECT_EQ(store.append("another", tick(1), {}).status, Status::too_many_machines);
}
