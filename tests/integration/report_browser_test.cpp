// The HTML report in a real browser: headless Chromium through chromedriver
// (tests/support/web_driver.hpp). pcprocess renders the golden collections and a generated
// 24 h collection at 1 s; the page must draw every chart with data, raise no error, log no
// console error and ask for nothing over the network. Screenshots go to build/test-logs.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "report_fixture.hpp"
#include "test_support.hpp"
#include "web_driver.hpp"

namespace fs = std::filesystem;
using pc::test::read_file;
using pc::test::TempDir;
using pc::test::WebDriver;
using pc::test::write_file;

namespace {

std::string pcprocess() {
    return (pc::test::bin_dir() / "pcprocess").string();
}

#define SKIP_WITHOUT_BROWSER()                                                    \
    do {                                                                          \
        if (auto missing = pc::test::browser_missing()) GTEST_SKIP() << *missing; \
    } while (0)

struct PageFacts {
    int charts = 0;        // body.dataset.pcCharts
    long points = 0;       // body.dataset.pcPoints
    int expected = 0;      // charts in the page's data
    int empty_charts = 0;  // charts whose data has no value at all
    std::vector<std::string> errors;
};

// Opens `page`, waits for the script to finish and reads what it drew. Fails the test on a
// console error, an uncaught error or any request other than the page itself.
PageFacts open_report(WebDriver& browser, const fs::path& page, const std::string& shot,
                      double* seconds = nullptr) {
    const std::string url = "file://" + fs::absolute(page).string();
    const auto start = std::chrono::steady_clock::now();
    browser.navigate(url);
    const bool done = browser.wait_for(
        "document.body && document.body.dataset.pcCharts !== undefined", std::chrono::seconds(60));
    if (seconds) {
        *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    browser.screenshot(pc::test::screenshot_dir() / shot);
    EXPECT_TRUE(done) << "the page's script did not finish: "
                      << browser.execute("return String(window.pcErrors);");
    PageFacts f;
    auto v = browser.execute(R"js(
        var data = JSON.parse(document.getElementById('pc-data').textContent);
        var empty = data.charts.filter(function (c) {
          return !c.y.some(function (v) { return v !== null; });
        }).length;
        return {charts: Number(document.body.dataset.pcCharts), points: Number(document.body.dataset.pcPoints),
                expected: data.charts.length, empty: empty, errors: window.pcErrors};)js");
    f.charts = v.value("charts", -1);
    f.points = v.value("points", -1L);
    f.expected = v.value("expected", -1);
    f.empty_charts = v.value("empty", -1);
    for (const auto& e : v["errors"]) f.errors.push_back(e.get<std::string>());
    for (const auto& entry : browser.console_log()) {
        EXPECT_NE(entry.level, "SEVERE") << "console: " << entry.message;
    }
    std::size_t page_requests = 0;
    for (const auto& request : browser.network_requests()) {
        if (request.document_url != url) continue;  // the browser's own start page
        ++page_requests;
        EXPECT_EQ(request.url, url) << "the report asked for something";
    }
    EXPECT_EQ(page_requests, 1u);  // the navigation to the report itself
    EXPECT_TRUE(f.errors.empty()) << f.errors.front();
    return f;
}

std::string text_of(WebDriver& browser, const std::string& id) {
    return browser.element_text(browser.find_element("#" + id));
}

}  // namespace

TEST(WebDriverSupport, FormsScriptsLogsRequestsAndScreenshots) {
    SKIP_WITHOUT_BROWSER();
    TempDir d;
    write_file(d / "page.html",
               "<!DOCTYPE html><html><body><input id=name><button id=go>go</button>"
               "<p id=out></p><script>document.getElementById('go').onclick = function () {"
               "document.getElementById('out').textContent = 'hello ' + "
               "document.getElementById('name').value;"
               "console.error('clicked'); fetch('http://127.0.0.1:9/nothing').catch(function(){});"
               "};</script></body></html>");
    WebDriver browser;
    browser.navigate("file://" + (d / "page.html").string());
    browser.send_keys(browser.find_element("#name"), "pcd");
    browser.click(browser.find_element("#go"));
    ASSERT_TRUE(browser.wait_for("document.getElementById('out').textContent.length > 0"));
    EXPECT_EQ(text_of(browser, "out"), "hello pcd");
    EXPECT_EQ(browser.execute("return 6 * 7;").get<int>(), 42);
    bool logged = false;
    for (const auto& e : browser.console_log())
        logged |= e.level == "SEVERE" && e.message.find("clicked") != std::string::npos;
    EXPECT_TRUE(logged);
    // The performance log reaches the driver a little later: poll it.
    const std::string page = "file://" + (d / "page.html").string();
    bool requested = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!requested && std::chrono::steady_clock::now() < deadline) {
        for (const auto& r : browser.network_requests())
            requested |= r.url == "http://127.0.0.1:9/nothing" && r.document_url == page;
        if (!requested) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(requested);
    const fs::path shot = pc::test::screenshot_dir() / "webdriver-support.png";
    browser.screenshot(shot);
    EXPECT_EQ(read_file(shot).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST(WebDriverSupport, Base64) {
    EXPECT_EQ(pc::test::base64_decode("aGVsbG8gd29ybGQ="), "hello world");
    EXPECT_EQ(pc::test::base64_decode("YQ=="), "a");
}

TEST(ReportBrowser, GoldenCollectionsDrawEveryChartWithoutErrorsOrRequests) {
    SKIP_WITHOUT_BROWSER();
    auto golden = pc::test::golden_dir();
    if (!golden)
        GTEST_SKIP()
            << "shared golden data not found (../shared/testdata/golden; set PC_SHARED_DIR)";
    std::vector<fs::path> cases;
    for (const auto& e : fs::directory_iterator(*golden)) {
        if (fs::exists(e.path() / "collection.json")) cases.push_back(e.path());
    }
    std::sort(cases.begin(), cases.end());
    ASSERT_FALSE(cases.empty());
    WebDriver browser;
    TempDir d;
    for (const auto& c : cases) {
        const std::string name = c.filename().string();
        SCOPED_TRACE(name);
        const fs::path out = d / name;
        auto r = pc::test::run({pcprocess(), "--collection", (c / "collection.json").string(),
                                "--outdir", out.string(), "--formats", "sar,html", "--machine-id",
                                name});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        PageFacts f = open_report(browser, out / "report.html", "report-golden-" + name + ".png");
        EXPECT_GT(f.expected, 0);
        EXPECT_EQ(f.charts, f.expected);
        EXPECT_EQ(f.empty_charts, 0);
        EXPECT_GT(f.points, 0);
        // The header's facts: those of system_info.json and of the collection.
        EXPECT_EQ(text_of(browser, "pc-identifier"), name);
        if (fs::exists(out / "system_info.json")) {
            auto info = nlohmann::json::parse(read_file(out / "system_info.json"));
            const std::string model = info.value("model_name", "");
            EXPECT_EQ(text_of(browser, "pc-cpu-model"), model.empty() ? "unknown" : model);
        }
        EXPECT_NE(text_of(browser, "pc-first"), "none");
        EXPECT_NE(text_of(browser, "pc-generator").find("pcprocess "), std::string::npos);
        // Every dygraph drew a canvas.
        EXPECT_EQ(
            browser.execute("return document.querySelectorAll('figure.chart canvas').length > 0;")
                .get<bool>(),
            true);
    }
}

// 86,400 ticks at 1 s, 12 CPUs (a heat map), a spike and a gap: generated here, never committed.
TEST(ReportBrowser, DayAtOneSecondIsUnderTenMegabytesAndKeepsItsSpike) {
    SKIP_WITHOUT_BROWSER();
    TempDir d;
    pc::test::SyntheticHost c;
    c.ticks = 86400;
    c.cpus = 12;
    c.spike_tick = 50000;
    c.gap_after = 30000;
    c.gap_ticks = 600;
    {
        std::ofstream out(d / "day.json", std::ios::binary);
        pc::test::synthetic_host_each(c, [&](const pc::record::Record& r) {
            const std::string line = pc::record::encode_record(r);
            out.write(line.data(), static_cast<std::streamsize>(line.size()));
        });
    }
    auto r = pc::test::run({pcprocess(), "--collection", (d / "day.json").string(), "--outdir",
                            (d / "out").string(), "--formats", "html", "--machine-id", "day-1s"},
                           {}, std::chrono::seconds(300));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto size = fs::file_size(d / "out" / "report.html");
    EXPECT_LT(size, 10u * 1000 * 1000);
    WebDriver browser;
    double seconds = 0;
    PageFacts f = open_report(browser, d / "out" / "report.html", "report-24h.png", &seconds);
    std::printf("24 h report: %ju bytes, drawn in %.2f s\n", static_cast<std::uintmax_t>(size),
                seconds);
    EXPECT_EQ(f.charts, f.expected);
    EXPECT_EQ(f.empty_charts, 0);
    EXPECT_EQ(text_of(browser, "pc-ticks").rfind("86400 ", 0), 0u);
    EXPECT_EQ(text_of(browser, "pc-gaps"), "1 (10 min without samples)");
    EXPECT_EQ(text_of(browser, "pc-cpus").rfind("12 logical CPUs", 0), 0u);
    // The one-second spike of CPU 0 survives downsampling, in the heat map's data.
    auto spike = browser.execute(R"js(
        var data = JSON.parse(document.getElementById('pc-data').textContent);
        var heat = data.charts.filter(function (c) { return c.heat; })[0];
        var max = 0;
        for (var r = 0; r < heat.x.length; r++) max = Math.max(max, heat.y[r * heat.labels.length]);
        return {max: max, heat: document.querySelectorAll('canvas.heat').length};)js");
    EXPECT_EQ(spike["max"].get<double>(), 100.0);
    EXPECT_EQ(spike["heat"].get<int>(), 1);
}
