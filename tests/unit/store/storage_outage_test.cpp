// A new machine whose files cannot be created (read-only or full data directory, EACCES) is
// the same storage outage as a failing write: refused, logged once per episode, and stored
// when the resend comes after recovery.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <sstream>

#include "log_capture.hpp"
#include "pc/store/file_store.hpp"
#include "test_support.hpp"

namespace pc::store {
namespace {

namespace fs = std::filesystem;

using pc::test::LogCapture;

std::vector<pc::record::Record> tick(std::int64_t ts) {
    return {{ts, "/proc/stat", "cpu  1 2\n"}};
}

TEST(StorageOutage, MachineThatCannotBeCreatedIsRefusedAndLoggedOncePerEpisode) {
    pc::test::TempDir dir;
    const fs::path datadir = dir.path() / "data";
    FileStore store(StoreOptions{datadir, 1024});
    // The episode is process-wide: a success ends any episode an earlier test left open.
    ASSERT_EQ(store.append("healthy", tick(1), std::nullopt).status, AppendOutcome::Status::stored);

    // A directory where the new machine's index file goes: its creation fails (EISDIR) as it
    // would with EROFS or EACCES, which a root test process cannot provoke by permissions.
    const fs::path blocker = datadir / ".index" / "blocked.idx";
    fs::create_directory(blocker);
    LogCapture log;
    for (int i = 0; i < 3; ++i) {
        auto out = store.append("blocked", tick(2), std::string("batch-2"));
        EXPECT_EQ(out.status, AppendOutcome::Status::failed);
        EXPECT_NE(out.error.find("storage failed"), std::string::npos) << out.error;
    }
    EXPECT_EQ(log.count("until storage recovers"), 1u) << log.text();
    EXPECT_EQ(log.count("storage recovered"), 0u) << log.text();
    EXPECT_FALSE(fs::exists(datadir / "blocked.json")) << "a refused batch left a collection";

    fs::remove(blocker);
    auto out = store.append("blocked", tick(2), std::string("batch-2"));
    EXPECT_EQ(out.status, AppendOutcome::Status::stored) << out.error;
    EXPECT_EQ(log.count("storage recovered after 3 failed write(s)"), 1u) << log.text();
    EXPECT_EQ(store.append("blocked", tick(2), std::string("batch-2")).status,
              AppendOutcome::Status::duplicate);
    auto machines = store.machines();
    ASSERT_EQ(machines.size(), 2u);
    EXPECT_EQ(machines[0].identifier, "blocked");
    EXPECT_EQ(machines[0].records, 1u);
}

}  // namespace
}  // namespace pc::store
