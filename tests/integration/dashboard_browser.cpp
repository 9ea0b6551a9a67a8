// pcd's dashboard in headless Chromium (tests/support/web_driver.hpp) against the real pcd
// with two real agents at 1 s: a machine key is refused, an admin signs in, the fleet lists
// both fresh, a stopped agent turns silent, the filter, the machine page draws its charts with
// no console error and no request but its own, sign-out ends the session. Screenshots go to
// build/test-logs (dashboard-*.png).
#include <gtest/gtest.h>

#include "dashboard_support.hpp"
#include "web_driver.hpp"

using namespace pc::dashboard_it;
using pc::test::WebDriver;

namespace {

std::string row_state(WebDriver& browser, const std::string& id) {
    return browser
        .execute(
            "var id = arguments[0];"
            "var r = Array.from(document.querySelectorAll('#fleet-rows tr'))"
            ".find(function (tr) { return tr.dataset.identifier === id; });"
            "return r ? r.dataset.state : '';",
            nlohmann::json::array({id}))
        .get<std::string>();
}

void expect_no_console_errors(WebDriver& browser, const std::string& where) {
    for (const auto& entry : browser.console_log()) {
        EXPECT_NE(entry.level, "SEVERE") << where << ": " << entry.message;
    }
}

void sign_in(WebDriver& browser, const std::string& url, const std::string& key) {
    browser.navigate(url + "/");
    browser.send_keys(browser.find_element("#key"), key);
    browser.click(browser.find_element("#signin"));
}

}  // namespace

TEST(DashboardBrowser, SignInFleetSilentAgentMachineChartsSignOut) {
    if (auto missing = pc::test::browser_missing()) GTEST_SKIP() << *missing;
    DashboardPcd server;
    ASSERT_TRUE(server.pcd.start()) << server.pcd.logs();
    const std::string url = server.pcd.url();
    Agent web("web-01", server.pcd, true);
    Agent db("db-02", server.pcd);
    const auto stored = [&](const std::string& id) {
        return std::filesystem::exists(server.pcd.data_dir() / (id + ".json"));
    };
    ASSERT_TRUE(wait_until([&] { return stored("web-01") && stored("db-02"); }, 30s))
        << server.pcd.logs() << web.log() << db.log();

    WebDriver browser;
    const auto shots = pc::test::screenshot_dir();

    // A machine key is refused with a clear message, and gives no session.
    sign_in(browser, url, server.pcd.agent_key);
    ASSERT_TRUE(browser.wait_for("document.getElementById('message') !== null"));
    EXPECT_NE(
        browser.element_text(browser.find_element("#message")).find("machine keys cannot sign in"),
        std::string::npos);
    EXPECT_TRUE(
        browser.execute("return document.getElementById('fleet-rows') === null;").get<bool>());
    browser.console_log();  // the refusal's 403 is logged by the browser: expected

    // The admin signs in: the fleet lists both machines, fresh.
    sign_in(browser, url, server.admin_key);
    ASSERT_TRUE(browser.wait_for("document.body.dataset.pcFleetRows === '2'", 30s))
        << browser.execute("return document.body.innerText;");
    ASSERT_TRUE(browser.wait_for(
        "Array.from(document.querySelectorAll('#fleet-rows tr'))"
        ".filter(function (r) { return r.dataset.state === 'fresh'; }).length === 2",
        30s))
        << browser.execute("return document.body.innerText;");
    EXPECT_EQ(browser.execute("return document.cookie;").get<std::string>(), "")
        << "the session cookie is HttpOnly";
    // Sorted by identifier by default; a click on the heading sorts the other way.
    EXPECT_EQ(browser.execute("return document.querySelector('#fleet-rows tr').dataset.identifier;")
                  .get<std::string>(),
              "db-02");
    browser.click(browser.find_element("th[data-key=identifier]"));
    EXPECT_EQ(browser.execute("return document.querySelector('#fleet-rows tr').dataset.identifier;")
                  .get<std::string>(),
              "web-01");
    browser.screenshot(shots / "dashboard-fleet.png", 1000);
    expect_no_console_errors(browser, "fleet page");

    // One agent stops: the page, refreshing by itself, turns it silent (1 s interval: after 16 s).
    db.stop();
    EXPECT_TRUE(
        browser.wait_for("(function () { var r = document.querySelector('#fleet-rows "
                         "tr[data-identifier=\"db-02\"]');"
                         " return r && r.dataset.state === 'silent'; })()",
                         90s))
        << "db-02 is " << row_state(browser, "db-02");
    EXPECT_EQ(row_state(browser, "web-01"), "fresh");
    EXPECT_TRUE(browser
                    .execute("return /%$/.test(document.querySelector("
                             "'#fleet-rows tr[data-identifier=\"web-01\"] td:nth-child(7)')"
                             ".textContent);")
                    .get<bool>())
        << "CPU busy of a live agent";
    browser.screenshot(shots / "dashboard-fleet-silent.png", 1000);

    // The filter keeps only matching identifiers.
    browser.send_keys(browser.find_element("#filter"), "web");
    ASSERT_TRUE(browser.wait_for("document.body.dataset.pcFleetRows === '1'"));
    EXPECT_EQ(row_state(browser, "db-02"), "");
    expect_no_console_errors(browser, "fleet page");

    // The machine page: the report's charts for the last hour, and nothing asked of anyone.
    browser.click(browser.find_element("#fleet-rows tr[data-identifier=\"web-01\"] a"));
    ASSERT_TRUE(
        browser.wait_for("document.body && document.body.dataset.pcCharts !== undefined", 60s));
    EXPECT_NE(browser.current_url().find("/dashboard/machine/web-01"), std::string::npos);
    browser.network_requests();  // from here on: the machine page alone
    browser.navigate(url + "/dashboard/machine/web-01?window=15m");
    ASSERT_TRUE(
        browser.wait_for("document.body && document.body.dataset.pcCharts !== undefined", 60s));
    const auto facts = browser.execute(
        "return {charts: Number(document.body.dataset.pcCharts),"
        " points: Number(document.body.dataset.pcPoints), errors: window.pcErrors || [],"
        " banner: !!document.getElementById('pcd-banner'),"
        " report: document.getElementById('download-report').getAttribute('href')};");
    EXPECT_GT(facts["charts"].get<int>(), 0) << facts.dump();
    EXPECT_GT(facts["points"].get<long>(), 0) << facts.dump();
    EXPECT_TRUE(facts["errors"].empty()) << facts.dump();
    EXPECT_TRUE(facts["banner"].get<bool>());
    EXPECT_NE(
        facts["report"].get<std::string>().find("/dashboard/machine/web-01/report.html?since="),
        std::string::npos);
    browser.screenshot(shots / "dashboard-machine.png", 1400);
    expect_no_console_errors(browser, "machine page");
    for (const auto& request : browser.network_requests()) {
        if (request.document_url.rfind(url, 0) != 0) continue;  // the browser's own pages
        if (request.url.rfind("data:", 0) == 0) continue;       // inline (the date input's icon)
        EXPECT_EQ(request.url.rfind(url + "/dashboard/machine/web-01", 0), 0u)
            << "the machine page asked for " << request.url << " (document " << request.document_url
            << ")";
    }

    // Sign-out: back to the sign-in form; the session is gone on the server.
    browser.click(browser.find_element("#signout"));
    ASSERT_TRUE(browser.wait_for("document.getElementById('key') !== null"));
    const auto status = browser.execute(
        "var x = new XMLHttpRequest(); x.open('GET', '/dashboard/fleet.json', false); x.send();"
        "return x.status;");
    EXPECT_EQ(status.get<int>(), 401);
    browser.navigate(url + "/dashboard/machine/web-01");
    EXPECT_TRUE(browser.wait_for("document.getElementById('key') !== null"))
        << "the machine page sends a signed-out browser to the sign-in form";
    web.stop();
    EXPECT_EQ(server.pcd.logs().find(server.admin_key), std::string::npos);
}
