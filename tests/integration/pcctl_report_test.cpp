// pcctl report against a real pcd: the machine's window fetched through the collection route
// and rendered by the same ReportBuilder as pcprocess's report.html.
#include <gtest/gtest.h>

#include "pcctl_fixture.hpp"
#include "report_fixture.hpp"

namespace {

using pc::test::kAdminKey;
using pc::test::kMachineKey;
using pc::test::pcctl;

struct PcctlReport : ::testing::Test {
    pc::test::PcdProcess pcd;
    pc::test::TempDir dir;

    std::map<std::string, std::string> admin_env() const {
        return {{"PCC_SERVER_URL", pcd.url()}, {"PCCTL_ADMINKEY", kAdminKey}};
    }
    void store(const std::string& id, const std::string& text) {
        auto file = dir / (id + ".json");
        pc::test::write_file(file, text);
        auto r = pcctl({"replay", file.string(), "--identifier", id},
                       {{"PCC_SERVER_URL", pcd.url()}, {"PCC_APIKEY", kMachineKey}});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static std::string fact(const std::string& page, const std::string& id) {
        const std::string open = "id=\"" + id + "\">";
        const auto b = page.find(open);
        if (b == std::string::npos) return "";
        return page.substr(b + open.size(), page.find('<', b + open.size()) - b - open.size());
    }
};

}  // namespace

TEST_F(PcctlReport, RendersTheStoredWindowLikePcprocess) {
    pc::test::SyntheticHost host;
    host.ticks = 120;
    const std::string text = pc::test::synthetic_host_text(host);
    store("db-report", text);

    const auto out = dir / "report.html";
    auto r = pcctl({"report", "db-report", "-o", out.string()}, admin_env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("written to " + out.string()), std::string::npos) << r.out;
    const std::string page = pc::test::read_file(out);
    EXPECT_EQ(fact(page, "pc-identifier"), "db-report");
    EXPECT_EQ(fact(page, "pc-cpu-model"), host.cpu_model);
    EXPECT_EQ(fact(page, "pc-ticks").rfind("120 (", 0), 0u) << fact(page, "pc-ticks");
    EXPECT_NE(fact(page, "pc-generator").find("pcctl "), std::string::npos);

    // The same collection through pcprocess: the same summary table.
    pc::test::write_file(dir / "db-report.json", text);
    auto p = pc::test::run({(pc::test::bin_dir() / "pcprocess").string(), "--collection",
                            (dir / "db-report.json").string(), "--outdir", (dir / "pp").string(),
                            "--formats", "html"});
    ASSERT_EQ(p.exit_code, 0) << p.err;
    const std::string local = pc::test::read_file(dir / "pp" / "report.html");
    // Everything after the header (which names the generator): pcprocess feeds the builder
    // its own run's rows, pcctl the records.
    auto body = [](const std::string& html) { return html.substr(html.find("</header>")); };
    EXPECT_EQ(body(page), body(local));

    // A window: ticks 1767800030..1767800059 only.
    r = pcctl({"report", "db-report", "--since", "1767800030", "--until", "1767800059"},
              admin_env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(fact(r.out, "pc-ticks").rfind("30 (", 0), 0u) << fact(r.out, "pc-ticks");
    EXPECT_EQ(fact(r.out, "pc-first"), "2026-01-07 15:33:50 UTC");
    EXPECT_NE(fact(r.out, "pc-generator").find("window"), std::string::npos);
    EXPECT_NE(r.err.find("report of "), std::string::npos) << r.err;
}

TEST_F(PcctlReport, LocalFileNeedsNoServer) {
    pc::test::SyntheticHost host;
    host.ticks = 10;
    pc::test::write_file(dir / "web-3.json", pc::test::synthetic_host_text(host));
    auto r =
        pcctl({"report", "--input", (dir / "web-3.json").string(), "-o", (dir / "r.html").string()},
              {{"PCC_SERVER_URL", "http://127.0.0.1:1"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(fact(pc::test::read_file(dir / "r.html"), "pc-identifier"), "web-3");
}

TEST_F(PcctlReport, MistakesAreOneLineAndWriteNothing) {
    const auto out = dir / "none.html";
    auto r = pcctl({"report", "no-such-vm", "-o", out.string()}, admin_env());
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_NE(r.err.find("report no-such-vm: "), std::string::npos) << r.err;

    r = pcctl({"report"}, admin_env());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--input FILE"), std::string::npos) << r.err;

    r = pcctl({"report", "db", "--since", "yesterday-ish"}, admin_env());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--since"), std::string::npos) << r.err;

    // Without the admin key: refused before anything is asked.
    r = pcctl({"report", "db"}, {{"PCC_SERVER_URL", pcd.url()}});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err.find(kAdminKey), std::string::npos);
}
