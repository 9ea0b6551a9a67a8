// The machine page's report from a FileStore window: only the window's records, the banner
// placed in the page, nothing for an unknown machine.
#include "pc/server/machine_report.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "pc/store/file_store.hpp"
#include "test_support.hpp"

using namespace pc::server;

TEST(MachineReport, RendersTheWindowWithTheBanner) {
    pc::test::TempDir dir;
    pc::store::FileStore store(pc::store::StoreOptions{dir / "data", 16});
    for (std::int64_t ts = 1700000000; ts < 1700000010; ++ts) {
        const std::string stat = "cpu  " + std::to_string(ts - 1699999000) +
                                 " 0 10 100 0 0 0 0 0 0\ncpu0 1 0 1 1 0 0 0 0 0 0\n";
        auto outcome = store.append("web-01", {{ts, "/proc/stat", stat}}, std::nullopt);
        ASSERT_EQ(outcome.status, pc::store::AppendOutcome::Status::stored);
    }
    std::ostringstream out;
    auto r = write_machine_report(store, "web-01", {1700000002, 1700000005},
                                  "<nav id=\"test-banner\"></nav>", out);
    EXPECT_TRUE(r.found);
    EXPECT_EQ(r.records, 4u);
    const auto html = out.str();
    EXPECT_NE(html.find("<nav id=\"test-banner\"></nav>"), std::string::npos);
    EXPECT_NE(html.find("web-01"), std::string::npos);
    EXPECT_NE(html.find("</html>"), std::string::npos);

    std::ostringstream none;
    EXPECT_FALSE(write_machine_report(store, "db-02", {}, "", none).found);
    std::ostringstream empty;
    auto e = write_machine_report(store, "web-01", {1, 2}, "", empty);
    EXPECT_TRUE(e.found);
    EXPECT_EQ(e.records, 0u);
    EXPECT_NE(empty.str().find("</html>"), std::string::npos) << "an empty window is a page too";
}
