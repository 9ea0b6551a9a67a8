#include "pc/report/report_builder.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "inline_blocks.hpp"
#include "report_fixture.hpp"

using pc::report::ReportBuilder;
using pc::report::ReportOptions;

namespace {

std::string render(const pc::test::SyntheticHost& c, ReportOptions options = {}) {
    ReportBuilder builder(std::move(options));
    for (const auto& r : pc::test::synthetic_host_records(c)) builder.add(r);
    std::ostringstream out;
    builder.write(out);
    EXPECT_EQ(out.str(), builder.html());
    return out.str();
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
    return n;
}

// The page's data: the text of <script id="pc-data">.
std::string data_of(const std::string& page) {
    const std::string open = "id=\"pc-data\">";
    const auto b = page.find(open) + open.size();
    return page.substr(b, page.find("</script>", b) - b);
}

}  // namespace

TEST(ReportBuilder, HeaderHasTheHostAndCollectionFacts) {
    pc::test::SyntheticHost c;
    c.ticks = 30;
    c.gap_after = 10;
    c.gap_ticks = 5;
    ReportOptions o;
    o.identifier = "db-01";
    o.generator = "pcprocess 9.9.9, default mode";
    const std::string page = render(c, o);
    EXPECT_NE(page.find("<title>perfcollector report: db-01</title>"), std::string::npos);
    EXPECT_NE(page.find("id=\"pc-cpu-model\">Synthetic CPU @ 2.00GHz<"), std::string::npos);
    EXPECT_NE(page.find("id=\"pc-cpus\">4 logical CPUs"), std::string::npos);
    EXPECT_NE(page.find("id=\"pc-memory\">15.6 GiB (16384000 kB)"), std::string::npos);
    EXPECT_NE(page.find("id=\"pc-first\">2026-01-07 15:33:20 UTC<"), std::string::npos);
    EXPECT_NE(page.find("id=\"pc-ticks\">30 ("), std::string::npos);
    EXPECT_NE(page.find("id=\"pc-interval\">1 s<"), std::string::npos);
    EXPECT_NE(page.find("id=\"pc-gaps\">1 (5 s without samples)<"), std::string::npos);
    EXPECT_NE(page.find("id=\"pc-generator\">pcprocess 9.9.9, default mode<"), std::string::npos);
}

TEST(ReportBuilder, PageIsSelfContained) {
    const std::string page = render({});
    EXPECT_EQ(page.find("src=\"http"), std::string::npos);
    EXPECT_EQ(page.find("href=\"http"), std::string::npos);
    EXPECT_EQ(page.find("sourceMappingURL"), std::string::npos);
    EXPECT_EQ(count(page, "<script"), count(page, "</script>"));
    EXPECT_NE(page.find("Dygraph.synchronize"), std::string::npos);
    EXPECT_NE(page.find("prefers-color-scheme: dark"), std::string::npos);
    EXPECT_NE(page.find("@media print"), std::string::npos);
    EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
}

TEST(ReportBuilder, OneChartPerFigureGroupInOrder) {
    pc::test::SyntheticHost c;
    c.ticks = 20;
    const std::string data = data_of(render(c));
    const char* titles[] = {"CPU, all CPUs",
                            "CPU busy per CPU",
                            "Memory",
                            "Load average",
                            "Network lo",
                            "Network eth0",
                            "Disk sda: throughput",
                            "Disk sda: latency and utilisation",
                            "Filesystems: space used",
                            "Containers: CPU",
                            "Containers: memory"};
    std::size_t at = 0;
    for (const char* t : titles) {
        SCOPED_TRACE(t);
        const auto p = data.find(std::string("\"title\":\"") + t + "\"");
        ASSERT_NE(p, std::string::npos);
        EXPECT_GT(p, at);
        at = p;
    }
    EXPECT_EQ(count(data, "\"title\":"), std::size(titles));
    EXPECT_NE(data.find("\"heat\":false"), std::string::npos);
}

TEST(ReportBuilder, ManyCpusMakeAHeatMap) {
    pc::test::SyntheticHost c;
    c.ticks = 5;
    c.cpus = 16;
    const std::string data = data_of(render(c));
    EXPECT_NE(data.find("\"title\":\"CPU busy per CPU\""), std::string::npos);
    EXPECT_NE(data.find("\"heat\":true"), std::string::npos);
}

TEST(ReportBuilder, SummaryHasTheHeadlineFiguresInOrder) {
    pc::test::SyntheticHost c;
    c.ticks = 50;
    c.spike_tick = 30;
    const std::string page = render(c);
    const char* figures[] = {"CPU busy (all CPUs)", "Memory used",     "eth0 received",
                             "eth0 sent",           "sda IOPS",        "sda throughput",
                             "sda await",           "sda utilisation", "/ space used"};
    std::size_t at = page.find("id=\"pc-summary\"");
    for (const char* f : figures) {
        SCOPED_TRACE(f);
        const auto p = page.find(std::string("<tr><td>") + f + "</td>");
        ASSERT_NE(p, std::string::npos);
        EXPECT_GT(p, at);
        at = p;
    }
}

TEST(ReportBuilder, NamesFromTheCollectionCannotInjectMarkupOrScript) {
    pc::test::SyntheticHost c;
    c.ticks = 5;
    c.container_name = "</script><script>alert('x')</script><img src=x onerror=alert(1)>";
    c.mount = "/mnt/<b>\"evil\"</b>";
    ReportOptions o;
    o.identifier = "<script>alert(2)</script>";
    const std::string page = render(c, o);
    EXPECT_EQ(page.find("<script>alert"), std::string::npos);
    EXPECT_EQ(page.find("<img src=x"), std::string::npos);
    EXPECT_EQ(page.find("<b>\"evil"), std::string::npos);
    EXPECT_NE(page.find("&lt;script&gt;alert(2)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(page.find("/mnt/&lt;b&gt;&quot;evil&quot;&lt;/b&gt; space used"), std::string::npos);
    // In the data, as an escaped JSON string.
    EXPECT_NE(data_of(page).find("\\u003c/script\\u003e\\u003cscript\\u003ealert('x')"),
              std::string::npos);
}

TEST(ReportBuilder, BannerAndTitleOptions) {
    ReportOptions o;
    o.banner_html = "<nav id=\"dash-nav\">fleet</nav>";
    o.title = "pcd: db-01";
    const std::string page = render({}, o);
    EXPECT_NE(page.find("<nav id=\"dash-nav\">fleet</nav>"), std::string::npos);
    EXPECT_LT(page.find("dash-nav"), page.find("<header>"));
    EXPECT_NE(page.find("<title>pcd: db-01</title>"), std::string::npos);
}

TEST(ReportBuilder, EmptyCollectionStillMakesAPage) {
    ReportBuilder builder({});
    const std::string page = builder.html();
    EXPECT_NE(page.find("No sar figures in this collection."), std::string::npos);
    EXPECT_NE(page.find("{\"charts\":[]}"), std::string::npos);
    EXPECT_EQ(builder.records(), 0u);
}

TEST(ReportBuilder, DisplayPointsAreBounded) {
    pc::test::SyntheticHost c;
    c.ticks = 3000;
    c.container_name = "";
    ReportOptions o;
    o.max_points = 200;
    const std::string data = data_of(render(c, o));
    // Every chart's "x" has at most max_points entries.
    for (auto p = data.find("\"x\":["); p != std::string::npos; p = data.find("\"x\":[", p + 1)) {
        const auto e = data.find(']', p);
        EXPECT_LE(count(data.substr(p, e - p), ",") + 1, 200u);
    }
}

// pcprocess's shortcut (rows and facts from its own run) gives the page add() gives.
TEST(ReportBuilder, RowsFedByTheCallerGiveTheSamePage) {
    pc::test::SyntheticHost c;
    c.ticks = 40;
    c.gap_after = 10;
    c.gap_ticks = 3;
    ReportBuilder by_records({});
    ReportBuilder by_rows({});
    pc::process::SarRows sar(
        [&](std::string_view output, std::string_view rows) { by_rows.add_rows(output, rows); });
    for (const auto& r : pc::test::synthetic_host_records(c)) {
        by_records.add(r);
        by_rows.add_time(r.timestamp);
        sar.add(r);
    }
    by_rows.set_facts(sar.facts());
    EXPECT_EQ(by_rows.records(), by_records.records());
    EXPECT_EQ(by_rows.html(), by_records.html());
}

TEST(ReportBuilder, PolicyListsEachInlineBlockByHashAndNothingUnsafe) {
    ReportOptions o;
    o.banner_html = "<nav class=\"x\">banner</nav>";
    o.banner_style = ".x { color: red; }\n";
    const std::string page = render({}, o);
    const auto meta_at = page.find("http-equiv=\"Content-Security-Policy\" content=\"");
    ASSERT_NE(meta_at, std::string::npos);
    const auto policy_at = page.find("content=\"", meta_at) + 9;
    const std::string policy = page.substr(policy_at, page.find('"', policy_at) - policy_at);
    EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
    EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << policy;
    // 'unsafe-hashes' only admits the style attribute values listed by hash (dygraphs' one).
    const auto hashes_at = policy.find("'unsafe-hashes'");
    if (hashes_at != std::string::npos) {
        EXPECT_GT(hashes_at, policy.find("style-src")) << policy;
        EXPECT_LT(hashes_at, policy.find(';', policy.find("style-src"))) << policy;
    }
    const auto blocks = pc::test::inline_blocks(page);
    ASSERT_EQ(blocks.size(), 7u);  // 4 scripts, 3 styles (dygraphs', the page's, the banner's)
    for (const auto& b : blocks) {
        const std::string directive = b.script ? "script-src " : "style-src ";
        const auto d = policy.find(directive);
        ASSERT_NE(d, std::string::npos);
        const std::string list = policy.substr(d, policy.find(';', d) - d);
        EXPECT_NE(list.find(pc::report::csp_hash(b.text)), std::string::npos)
            << directive << "lacks the block starting " << b.text.substr(0, 60);
    }
    EXPECT_EQ(pc::test::inline_attribute(page), "");
}
